using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using WaIdentity.WaChannel.Telemetry;

namespace WaIdentity.IdP.Login;

/// <summary>One browser's login attempt: the phone it is for and where to go afterwards.</summary>
/// <param name="Id">Random; codes are bound to its hash, so a code works only in the browser that asked for it.</param>
/// <param name="TraceParent">The W3C trace context of the request that started the flow, so that the code's check,
/// a later request, is placed in the login's trace (<see cref="LoginTracing"/>); null when untraced.</param>
internal sealed record LoginFlow(string Id, string Phone, string ReturnUrl, DateTimeOffset StartedAt, string? TraceParent = null)
{
    public string Hash => Convert.ToHexString(SHA256.HashData(Encoding.ASCII.GetBytes(Id)));
}

/// <summary>
/// Keeps the flow in an HttpOnly cookie sealed with Data Protection (keys shared through the database, so any node
/// can read it). Starting again ("use another number", the back button) makes a new flow with its own cooldown.
/// </summary>
internal sealed class LoginFlowCookie(IDataProtectionProvider dataProtection, TimeProvider clock, IHostEnvironment environment)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);
    private readonly ITimeLimitedDataProtector _protector = dataProtection.CreateProtector("WaIdentity.Login.Flow").ToTimeLimitedDataProtector();
    private string CookieName => environment.IsDevelopment() ? "waid.login" : "__Host-waid.login";

    public LoginFlow Begin(HttpContext http, string phone, string returnUrl)
    {
        var flow = new LoginFlow(Convert.ToHexString(RandomNumberGenerator.GetBytes(32)), phone, returnUrl, clock.GetUtcNow(),
            ChannelTracing.CurrentTraceParent());
        var sealedFlow = _protector.Protect(JsonSerializer.Serialize(flow), Lifetime);
        http.Response.Cookies.Append(CookieName, sealedFlow, new CookieOptions
        {
            HttpOnly = true,
            Secure = !environment.IsDevelopment() || http.Request.IsHttps,
            SameSite = SameSiteMode.Lax,
            Path = "/",
            MaxAge = Lifetime,
        });
        return flow;
    }

    public LoginFlow? Read(HttpContext http)
    {
        if (!http.Request.Cookies.TryGetValue(CookieName, out var value)) return null;
        try { return JsonSerializer.Deserialize<LoginFlow>(_protector.Unprotect(value)); }
        catch (CryptographicException) { return null; }
        catch (JsonException) { return null; }
    }

    public void End(HttpContext http) => http.Response.Cookies.Delete(CookieName, new CookieOptions { Path = "/" });
}
