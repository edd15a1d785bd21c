using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WaIdentity.IdP.Persistence;

namespace WaIdentity.IdP.Login.Passkeys;

/// <summary>
/// Begins and takes WebAuthn ceremonies. Each begin stores the options (and so a fresh challenge) under a random id
/// kept only in an HttpOnly cookie of the browser that asked; taking one deletes it, so an answer is accepted at most
/// once, only from that browser, only for the purpose and user it was begun for, and only within
/// <see cref="PasskeyRules.ChallengeSeconds"/>.
/// </summary>
internal sealed class PasskeyCeremonies(IdpDbContext db, TimeProvider clock, IOptionsMonitor<LoginOptions> options, IHostEnvironment environment)
{
    private string CookieName => environment.IsDevelopment() ? "waid.passkey" : "__Host-waid.passkey";

    public async Task BeginAsync(HttpContext http, PasskeyPurpose purpose, string? userId, string? sessionId, string optionsJson, CancellationToken ct)
    {
        var lifetime = TimeSpan.FromSeconds(options.CurrentValue.Passkeys.ChallengeSeconds);
        var id = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        // A browser runs one ceremony at a time: a new one replaces the one it was running.
        if (http.Request.Cookies.TryGetValue(CookieName, out var previous))
            await db.Set<PasskeyCeremony>().Where(c => c.Id == previous).ExecuteDeleteAsync(ct);
        db.Set<PasskeyCeremony>().Add(new PasskeyCeremony
        {
            Id = id, Purpose = purpose, UserId = userId, SessionId = sessionId, OptionsJson = optionsJson,
            ExpiresAt = clock.GetUtcNow() + lifetime,
        });
        await db.SaveChangesAsync(ct);
        http.Response.Cookies.Append(CookieName, id, new CookieOptions
        {
            HttpOnly = true, Secure = !environment.IsDevelopment() || http.Request.IsHttps, SameSite = SameSiteMode.Strict, Path = "/", MaxAge = lifetime,
        });
    }

    /// <summary>
    /// The options of this browser's ceremony when it was begun for <paramref name="purpose"/> and the same user and
    /// session, and has not expired; null otherwise. Either way the ceremony is over.
    /// </summary>
    public async Task<string?> TakeAsync(HttpContext http, PasskeyPurpose purpose, string? userId, string? sessionId, CancellationToken ct)
    {
        if (!http.Request.Cookies.TryGetValue(CookieName, out var id) || id.Length != 64) return null;
        http.Response.Cookies.Delete(CookieName, new CookieOptions { Path = "/" });
        var ceremony = await db.Set<PasskeyCeremony>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);
        if (ceremony is null) return null;
        // The delete is the claim: of two answers racing with one challenge, one deletes the row and the other nothing.
        if (await db.Set<PasskeyCeremony>().Where(c => c.Id == id).ExecuteDeleteAsync(ct) != 1) return null;
        var matches = ceremony.Purpose == purpose && ceremony.UserId == userId && ceremony.SessionId == sessionId && ceremony.ExpiresAt > clock.GetUtcNow();
        return matches ? ceremony.OptionsJson : null;
    }
}
