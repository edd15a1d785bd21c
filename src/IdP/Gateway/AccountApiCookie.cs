using Microsoft.AspNetCore.Authentication.Cookies;
using WaIdentity.IdP.Sessions;

namespace WaIdentity.IdP.Gateway;

/// <summary>
/// The account API's cookie scheme: <c>wa_token</c>, HttpOnly, SameSite=Lax, Secure outside Development. It carries
/// a real server-side IdP session (<see cref="SessionSignIn.StartAsync"/>), validated on every request like the
/// login cookie, so logout, admin revocation and idle timeouts apply; it is a separate cookie so that an app's
/// API login does not also sign the browser in to the IdP's own pages.
/// </summary>
internal static class AccountApiCookie
{
    public const string Scheme = "gateway.account";
    public const string Name = "wa_token";

    public static IServiceCollection AddAccountApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<AccountApiEndpoints>();
        services.AddScoped<AccountApiAnswers>();
        services.AddScoped<AccountApiSession>();
        services.AddAuthentication().AddCookie(Scheme, o =>
        {
            o.Cookie.Name = Name;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.Always;
            o.SlidingExpiration = false;
            o.ExpireTimeSpan = TimeSpan.FromDays(14);
            o.Events = new CookieAuthenticationEvents
            {
                OnValidatePrincipal = SessionValidator.ValidateAsync,
                // An API answers 401/403; it never redirects to a login page.
                OnRedirectToLogin = c => { c.Response.StatusCode = 401; return Task.CompletedTask; },
                OnRedirectToAccessDenied = c => { c.Response.StatusCode = 403; return Task.CompletedTask; },
            };
        });
        // Development serves plain http on loopback, where clients drop a Secure cookie.
        services.AddOptions<CookieAuthenticationOptions>(Scheme).Configure<IHostEnvironment>((o, env) =>
        {
            if (env.IsDevelopment()) o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        return services;
    }
}
