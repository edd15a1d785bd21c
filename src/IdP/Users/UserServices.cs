using Microsoft.AspNetCore.Identity;
using WaIdentity.IdP.Persistence;

namespace WaIdentity.IdP.Users;

public static class UserServices
{
    /// <summary>ASP.NET Core Identity's stores and managers; sign-in itself goes through SessionSignIn.</summary>
    public static IServiceCollection AddIdpUsers(this IServiceCollection services)
    {
        services.AddIdentityCore<IdpUser>(o =>
            {
                o.Password.RequiredLength = 8;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireDigit = false;
                o.Lockout.MaxFailedAccessAttempts = 10;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.User.RequireUniqueEmail = false;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<IdpDbContext>()
            .AddDefaultTokenProviders();
        return services;
    }
}
