using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using WaIdentity.IdP.Sessions;
using WaIdentity.IdP.Users;

namespace WaIdentity.IdP.AdminPorts;

/// <summary>
/// What a signed-in user the portal refuses sees. An admin whose session lacks the second factor is sent to prove it
/// (a step-up, back to the page asked for); everyone else gets 403 where they asked, with nothing to try next.
/// </summary>
internal static class AdminStepUp
{
    public const string SecondFactorPath = "/login/second-factor";

    public static async Task OnAccessDeniedAsync(RedirectContext<CookieAuthenticationOptions> context)
    {
        var http = context.HttpContext;
        if (HttpMethods.IsGet(http.Request.Method) && await NeedsSecondFactorAsync(http))
        {
            var returnUrl = http.Request.PathBase + http.Request.Path + http.Request.QueryString;
            http.Response.Redirect($"{SecondFactorPath}?returnUrl={Uri.EscapeDataString(returnUrl)}");
            return;
        }
        http.Response.StatusCode = StatusCodes.Status403Forbidden;
    }

    private static async Task<bool> NeedsSecondFactorAsync(HttpContext http)
    {
        if (!http.RequestServices.GetRequiredService<IOptions<AdminOptions>>().Value.RequireSecondFactor) return false;
        if (http.User.FindFirst(SessionClaims.Acr)?.Value == AuthenticationLevels.TwoFactors) return false;
        var userId = http.User.FindFirst(SessionClaims.Subject)?.Value;
        var users = http.RequestServices.GetRequiredService<UserManager<IdpUser>>();
        var user = userId is null ? null : await users.FindByIdAsync(userId);
        return user is not null && await users.IsInRoleAsync(user, Roles.Admin);
    }
}
