using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using WaIdentity.IdP.Configuration;
using WaIdentity.IdP.Jobs;
using WaIdentity.IdP.Persistence;

namespace WaIdentity.IdP.Sessions;

internal static class SessionServices
{
    public static IServiceCollection AddIdpSessions(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddValidatedOptions<SessionOptions>(configuration, SessionOptions.Section);
        services.AddScoped<SessionSignIn>();
        services.AddScoped<IExpiredRowPurger, ExpiredSessionPurger>();
        services.AddAuthentication(SessionClaims.Scheme)
            .AddCookie(SessionClaims.Scheme, o =>
            {
                // Production: Secure + __Host- (ASVS 3.3). Development serves plain http on localhost, where test
                // clients (HttpClient, node) would drop a Secure cookie, so it uses the same cookie without them.
                var dev = environment.IsDevelopment();
                o.Cookie.Name = dev ? "waid.session" : "__Host-waid.session";
                o.Cookie.SecurePolicy = dev ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.LoginPath = "/login";
                o.AccessDeniedPath = "/forbidden";
                o.SlidingExpiration = false;
                o.ExpireTimeSpan = TimeSpan.FromDays(30);
                o.Events = new CookieAuthenticationEvents { OnValidatePrincipal = SessionValidator.ValidateAsync };
            });
        return services;
    }

    private sealed class ExpiredSessionPurger(IdpDbContext db) : IExpiredRowPurger
    {
        public string Name => "sessions";

        public Task<int> PurgeAsync(DateTimeOffset now, CancellationToken ct) =>
            db.UserSessions.Where(s => s.ExpiresAt < now).ExecuteDeleteAsync(ct);
    }
}
