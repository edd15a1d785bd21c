using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace WaIdentity.IdP.Login.SecondFactor;

/// <summary>A first factor proven, the second still to come.</summary>
/// <param name="Amr">What the first factor was (e.g. ["pwd"]).</param>
/// <param name="NotMePhone">Set after a send-code login: the sender gets the "this was not me" reply once signed in.</param>
internal sealed record PendingSecondFactor(string UserId, IReadOnlyList<string> Amr, string ReturnUrl, string? NotMePhone = null);

/// <summary>
/// Carries <see cref="PendingSecondFactor"/> from the first factor's page to the second factor's in an HttpOnly cookie
/// sealed with Data Protection for 10 minutes (NIST 800-63B: the whole authentication within 10 minutes).
/// </summary>
internal sealed class PendingSecondFactorCookie(IDataProtectionProvider dataProtection, IHostEnvironment environment)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);
    private readonly ITimeLimitedDataProtector _protector = dataProtection.CreateProtector("WaIdentity.Login.SecondFactor.Pending").ToTimeLimitedDataProtector();
    private string CookieName => environment.IsDevelopment() ? "waid.mfa" : "__Host-waid.mfa";

    public void Set(HttpContext http, PendingSecondFactor pending) =>
        http.Response.Cookies.Append(CookieName, _protector.Protect(JsonSerializer.Serialize(pending), Lifetime), new CookieOptions
        {
            HttpOnly = true, Secure = !environment.IsDevelopment() || http.Request.IsHttps, SameSite = SameSiteMode.Lax, Path = "/", MaxAge = Lifetime,
        });

    public PendingSecondFactor? Read(HttpContext http)
    {
        if (!http.Request.Cookies.TryGetValue(CookieName, out var value)) return null;
        try { return JsonSerializer.Deserialize<PendingSecondFactor>(_protector.Unprotect(value)); }
        catch (CryptographicException) { return null; }
        catch (JsonException) { return null; }
    }

    public void Clear(HttpContext http) => http.Response.Cookies.Delete(CookieName, new CookieOptions { Path = "/" });
}
