using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using WaIdentity.IdP.Persistence;
using WaIdentity.WaChannel.Inbound;

namespace WaIdentity.IdP.Login.SendCode;

internal enum SentCodeOutcome
{
    /// <summary>The message carries no code of this kind: not claimed.</summary>
    NotACode,
    /// <summary>Sent too long ago, or from before any live code (<see cref="InboundFreshness"/>): claimed, proves nothing.</summary>
    Stale,
    /// <summary>No live challenge has this code (unknown, expired, already proven or refused).</summary>
    NoLiveCode,
    Proven,
    /// <summary>The challenge expected another number: it is refused for good.</summary>
    Refused,
}

/// <param name="Code">The code found in the message (canonical case), when there was one.</param>
/// <param name="Challenge">The challenge the message proved or refused, as it now stands.</param>
internal sealed record SentCodeMatch<T>(SentCodeOutcome Outcome, string? Code = null, T? Challenge = null) where T : class
{
    /// <summary>The message carried a code of this kind, so it is not an ordinary message for apps.</summary>
    public bool Claimed => Outcome != SentCodeOutcome.NotACode;
}

/// <summary>
/// Issues and proves <see cref="SentCode"/> challenges, for every table that keeps them: a challenge lives until it
/// expires, is proven by the first fresh message carrying its code (once: the update only matches a live row), and a
/// sender other than the expected number refuses it instead.
/// </summary>
internal sealed class SentCodeChallenges(IdpDbContext db, TimeProvider clock)
{
    /// <summary>Stores <paramref name="challenge"/> with a new code and its times; the code is returned, only its hash kept.</summary>
    public async Task<string> IssueAsync<T>(T challenge, string prefix, TimeSpan lifetime, CancellationToken ct) where T : SentCodeChallenge
    {
        var code = SentCode.New(prefix);
        var now = clock.GetUtcNow();
        challenge.Id = Guid.NewGuid().ToString("N");
        challenge.CodeHash = SentCode.Hash(code);
        challenge.CreatedAt = now;
        challenge.ExpiresAt = now + lifetime;
        db.Set<T>().Add(challenge);
        await db.SaveChangesAsync(ct);
        return code;
    }

    /// <summary>An inbound message carrying a code with <paramref name="prefix"/> proves (or refuses) its live challenge.</summary>
    public async Task<SentCodeMatch<T>> ProveAsync<T>(string prefix, InboundMessage message, CancellationToken ct) where T : SentCodeChallenge
    {
        if (SentCode.Find(message.Text, prefix) is not { } code) return new(SentCodeOutcome.NotACode);
        var now = clock.GetUtcNow();
        if (InboundFreshness.IsStale(message, now)) return new(SentCodeOutcome.Stale, code);
        var live = db.Set<T>().Where(Live<T>(SentCode.Hash(code), now, InboundFreshness.CodesCreatedBy(message)));
        if (await live.AsNoTracking().FirstOrDefaultAsync(ct) is not { } found) return new(SentCodeOutcome.NoLiveCode, code);
        var one = live.Where(c => c.Id == found.Id);
        var proven = await one.Where(c => c.ExpectedPhone == null || c.ExpectedPhone == message.Phone).ExecuteUpdateAsync(u => u
            .SetProperty(c => c.ProvenPhone, message.Phone).SetProperty(c => c.ProfileName, message.ProfileName).SetProperty(c => c.ProvenAt, now), ct);
        if (proven == 1)
        {
            (found.ProvenPhone, found.ProfileName, found.ProvenAt) = (message.Phone, message.ProfileName, now);
            return new(SentCodeOutcome.Proven, code, found);
        }
        if (await one.ExecuteUpdateAsync(u => u.SetProperty(c => c.Refused, true), ct) == 0) return new(SentCodeOutcome.NoLiveCode, code);
        found.Refused = true;
        return new(SentCodeOutcome.Refused, code, found);
    }

    /// <summary>Drops challenges a day after they expired (a gateway app may still poll one until then).</summary>
    public Task<int> PurgeAsync<T>(DateTimeOffset now, CancellationToken ct) where T : SentCodeChallenge =>
        db.Set<T>().Where(c => c.ExpiresAt < now.AddDays(-1)).ExecuteDeleteAsync(ct);

    /// <summary>Neither proven nor refused, not expired, and made no later than the message could have seen it.</summary>
    private static Expression<Func<T, bool>> Live<T>(string hash, DateTimeOffset now, DateTimeOffset createdBy) where T : SentCodeChallenge =>
        c => c.CodeHash == hash && c.ProvenPhone == null && !c.Refused && c.ExpiresAt > now && c.CreatedAt <= createdBy;
}
