using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using WaIdentity.IdP.Jobs;
using WaIdentity.IdP.Oidc;
using WaIdentity.IdP.Persistence;
using WaIdentity.IdP.Sessions;
using WaIdentity.WaChannel.Codes;

namespace WaIdentity.IdP.Account;

/// <summary>
/// After a send-code login the business number replies to the sender naming the app and the browser, with a
/// single-use link (24 hours) that ends that session: a victim tricked into sending someone else's code learns it at
/// once and can cut the attacker off.
/// </summary>
internal sealed class NotMeLinks(IdpDbContext db, ITextSender texts, AccountSessions sessions, IssuerResolver issuers, IStringLocalizer<SharedResource> t,
    TimeProvider clock, ILogger<NotMeLinks> log)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    public async Task SendAsync(HttpContext http, UserSession session, string phone, string appName, CancellationToken ct)
    {
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var now = clock.GetUtcNow();
        db.Set<NotMeLink>().Add(new NotMeLink { Id = Hash(token), SessionId = session.Id, UserId = session.UserId, CreatedAt = now, ExpiresAt = now + Lifetime });
        await db.SaveChangesAsync(ct);
        var link = $"{issuers.Resolve(http)}/account/not-me/{token}";
        var text = t["Account_NotMeReply", appName, UserAgentSummary.Describe(session.UserAgent, t), link];
        var locale = System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;
        var sent = await texts.SendTextAsync(new TextRequest(phone, text, "notice", locale), ct);
        if (sent.Queued) log.LogInformation("Send-code login reply queued for session {SessionPrefix}", session.Id[..8]);
        else log.LogWarning("Send-code login reply for session {SessionPrefix} refused by the channel: {Reason}", session.Id[..8], sent.Refusal.Reason);
    }

    /// <summary>Whether the token names a live, unused link (the page asks for a click before acting).</summary>
    public Task<bool> IsLiveAsync(string token, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var id = Hash(token);
        return db.Set<NotMeLink>().AnyAsync(l => l.Id == id && l.UsedAt == null && l.ExpiresAt > now, ct);
    }

    /// <summary>Uses the link once: ends its session and revokes the session's refresh tokens. False when not live.</summary>
    public async Task<bool> RedeemAsync(string token, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var id = Hash(token);
        var link = await db.Set<NotMeLink>().AsNoTracking().FirstOrDefaultAsync(l => l.Id == id, ct);
        if (link is null) return false;
        var taken = await db.Set<NotMeLink>().Where(l => l.Id == id && l.UsedAt == null && l.ExpiresAt > now)
            .ExecuteUpdateAsync(u => u.SetProperty(l => l.UsedAt, now), ct);
        if (taken != 1) return false;
        await sessions.EndSessionAsync(link.SessionId, ct);
        log.LogWarning("Session {SessionPrefix} ended through a 'this was not me' link", link.SessionId[..8]);
        return true;
    }

    private static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.ASCII.GetBytes(token)));

    /// <summary>Drops links a day after they expired.</summary>
    public sealed class Purger(IdpDbContext db) : IExpiredRowPurger
    {
        public string Name => "account.not-me-links";

        public Task<int> PurgeAsync(DateTimeOffset now, CancellationToken ct) =>
            db.Set<NotMeLink>().Where(l => l.ExpiresAt < now.AddDays(-1)).ExecuteDeleteAsync(ct);
    }
}
