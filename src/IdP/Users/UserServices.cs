using Microsoft.AspNetCore.Identity;
using WaIdentity.IdP.Persistence;

namespace WaIdentity.IdP.Users;

internal static class UserServices
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
                // No lockout settings: wrong passwords never lock an account (anyone could lock anyone out); the
                // password check slows the guesser instead (Login/Password/PasswordThrottle). Only an admin locks.
                o.User.RequireUniqueEmail = false;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<IdpDbContext>()
            .AddDefaultTokenProviders();
        return services;
    }
}
