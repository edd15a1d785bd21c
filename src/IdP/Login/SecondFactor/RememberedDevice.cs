using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using WaIdentity.IdP.Users;

namespace WaIdentity.IdP.Login.SecondFactor;

/// <summary>
/// "Remember this device": an HttpOnly cookie sealed with Data Protection for <c>RememberDeviceDays</c>, naming the
/// user and a hash of their security stamp. Resetting or changing the second factor changes the stamp, so every
/// remembered device of that user is forgotten at once.
/// </summary>
internal sealed class RememberedDevice(IDataProtectionProvider dataProtection, UserManager<IdpUser> users, IOptionsMonitor<LoginOptions> options, IHostEnvironment environment)
{
    private sealed record Content(string UserId, string StampHash);

    private readonly ITimeLimitedDataProtector _protector = dataProtection.CreateProtector("WaIdentity.Login.SecondFactor.Device").ToTimeLimitedDataProtector();
    private string CookieName => environment.IsDevelopment() ? "waid.device" : "__Host-waid.device";

    public bool Offered => options.CurrentValue.SecondFactor.RememberDeviceDays > 0;

    public async Task RememberAsync(HttpContext http, IdpUser user)
    {
        if (!Offered) return;
        var lifetime = TimeSpan.FromDays(options.CurrentValue.SecondFactor.RememberDeviceDays);
        var content = new Content(user.Id, StampHash(await users.GetSecurityStampAsync(user)));
        http.Response.Cookies.Append(CookieName, _protector.Protect(JsonSerializer.Serialize(content), lifetime), new CookieOptions
        {
            HttpOnly = true, Secure = !environment.IsDevelopment() || http.Request.IsHttps, SameSite = SameSiteMode.Lax, Path = "/", MaxAge = lifetime,
        });
    }

    public async Task<bool> IsRememberedAsync(HttpContext http, IdpUser user)
    {
        if (!Offered || !http.Request.Cookies.TryGetValue(CookieName, out var value)) return false;
        Content? content;
        try { content = JsonSerializer.Deserialize<Content>(_protector.Unprotect(value)); }
        catch (CryptographicException) { return false; }
        catch (JsonException) { return false; }
        if (content is null || content.UserId != user.Id) return false;
        var current = StampHash(await users.GetSecurityStampAsync(user));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(content.StampHash), Encoding.ASCII.GetBytes(current));
    }

    /// <summary>Forgets every remembered device of the user (a new security stamp).</summary>
    public Task ForgetAllAsync(IdpUser user) => users.UpdateSecurityStampAsync(user);

    private static string StampHash(string stamp) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(stamp)));
}
