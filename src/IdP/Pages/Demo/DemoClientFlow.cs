using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.IdentityModel.Tokens;

namespace WaIdentity.IdP.Pages.Demo;

/// <summary>
/// The demo relying party's per-login state (PKCE verifier, state, nonce), kept in a protected, short-lived cookie
/// the way a real web app would keep it, so the callback can check state and nonce and prove PKCE.
/// </summary>
internal sealed record DemoClientFlow(string Verifier, string State, string Nonce)
{
    public const string ClientId = Oidc.Clients.DemoClientSeeder.ClientId;
    private const string Cookie = "waid.demo";
    private const string Purpose = "WaIdentity.Demo.Flow";

    public static DemoClientFlow New() => new(Random(), Random(), Random());

    public string Challenge => Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(Verifier)));

    public static string RedirectUri(HttpRequest request) => $"{request.Scheme}://{request.Host}{Oidc.Clients.DemoClientSeeder.CallbackPath}";

    public void Save(HttpContext http) => http.Response.Cookies.Append(Cookie,
        http.RequestServices.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).Protect(JsonSerializer.Serialize(this)),
        new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, MaxAge = TimeSpan.FromMinutes(10), Path = "/demo" });

    public static DemoClientFlow? Take(HttpContext http)
    {
        if (http.Request.Cookies[Cookie] is not { } value) return null;
        http.Response.Cookies.Delete(Cookie, new CookieOptions { Path = "/demo" });
        try
        {
            var json = http.RequestServices.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).Unprotect(value);
            return JsonSerializer.Deserialize<DemoClientFlow>(json);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private static string Random() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
}
