using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using WaIdentity.IdP.Login;
using WaIdentity.IdP.Oidc.Authorize;
using WaIdentity.IdP.Sessions;

namespace WaIdentity.IdP.Account;

/// <summary>
/// Full re-authentication before the phone or second factors change (ASVS 7.5.1): a login or a re-authentication of
/// this session within <c>Login:SecondFactor:ReauthenticationMinutes</c> (5). The re-authentication is an HttpOnly
/// cookie sealed with Data Protection that names the user, the session and the time.
/// </summary>
internal sealed class ReauthGate(IDataProtectionProvider dataProtection, IOptionsMonitor<LoginOptions> options, TimeProvider clock, IHostEnvironment environment)
{
    private sealed record Proof(string UserId, string SessionId, DateTimeOffset At);

    public const string Path = "/account/reauth";
    private readonly IDataProtector _protector = dataProtection.CreateProtector("WaIdentity.Account.Reauth");
    private string CookieName => environment.IsDevelopment() ? "waid.reauth" : "__Host-waid.reauth";
    private TimeSpan Window => TimeSpan.FromMinutes(options.CurrentValue.SecondFactor.ReauthenticationMinutes);

    public bool IsFresh(HttpContext http)
    {
        var user = http.User;
        if (user.FindFirstValue(SessionClaims.SessionId) is not { } sid) return false;
        var now = clock.GetUtcNow();
        if (now - AuthenticationRequirement.AuthTime(user) <= Window) return true;
        if (!http.Request.Cookies.TryGetValue(CookieName, out var value)) return false;
        try
        {
            var proof = JsonSerializer.Deserialize<Proof>(_protector.Unprotect(value));
            return proof is not null && proof.SessionId == sid && proof.UserId == user.FindFirstValue(SessionClaims.Subject) && now - proof.At <= Window;
        }
        catch (CryptographicException) { return false; }
        catch (JsonException) { return false; }
    }

    public void Record(HttpContext http)
    {
        var proof = new Proof(http.User.FindFirstValue(SessionClaims.Subject)!, http.User.FindFirstValue(SessionClaims.SessionId)!, clock.GetUtcNow());
        http.Response.Cookies.Append(CookieName, _protector.Protect(JsonSerializer.Serialize(proof)), new CookieOptions
        {
            HttpOnly = true, Secure = !environment.IsDevelopment() || http.Request.IsHttps, SameSite = SameSiteMode.Strict, Path = "/account", MaxAge = Window,
        });
    }

    public static string RedirectFor(string returnUrl) => $"{Path}?returnUrl={Uri.EscapeDataString(ReturnUrls.Sanitize(returnUrl))}";
}
