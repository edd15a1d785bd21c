using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WaIdentity.IdP.Persistence;
using WaIdentity.IdP.RateLimiting;
using WaIdentity.WaChannel.Queues;

namespace WaIdentity.IdP.Login.Password;

/// <summary>
/// The password limits, kept in the shared rate-limit counters so every node sees them: failures per client IP in a
/// 15-minute window, and growing delays per account and IP (30 s after <see cref="PasswordRules.FailuresBeforeDelay"/>
/// failures, doubling up to <see cref="PasswordRules.MaxDelaySeconds"/>, forgotten a day after the last failure).
/// The account key is the e-mail as typed (upper-cased), whether or not such an account exists, so the limits say
/// nothing about which accounts exist.
/// </summary>
internal sealed class PasswordThrottle(FixedWindowLimiter limiter, IdpDbContext db, IOptionsMonitor<LoginOptions> options, TimeProvider clock)
{
    private const string IpBucket = "password-ip";
    private static readonly TimeSpan IpWindow = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan Memory = TimeSpan.FromDays(1);
    private static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(30);

    /// <summary>Takes one try from the IP's allowance; null when allowed, else how long to wait.</summary>
    /// <returns>The ticket to hand back with <see cref="SucceededAsync"/> or <see cref="FailedAsync"/>.</returns>
    public async Task<(PasswordTry Try, TimeSpan? Wait)> BeginAsync(string account, string clientIp, CancellationToken ct)
    {
        var attempt = new PasswordTry(AccountKey(account, clientIp), clientIp, null);
        if (await AccountWaitAsync(attempt.AccountKey, ct) is { } wait) return (attempt, wait);
        var hit = await limiter.HitAsync(IpBucket, clientIp, options.CurrentValue.Password.FailuresPerIpPer15Minutes, IpWindow, ct);
        attempt = attempt with { IpHit = hit };
        return hit.Allowed ? (attempt, null) : (attempt, hit.RetryAfter(clock.GetUtcNow()));
    }

    /// <summary>A right password: the IP's try is given back and the account's delays at this IP are forgotten.</summary>
    public async Task SucceededAsync(PasswordTry attempt, CancellationToken ct)
    {
        if (attempt.IpHit is { } hit) await limiter.RefundAsync(IpBucket, attempt.ClientIp, IpWindow, hit, ct);
        await db.RateLimitCounters.Where(c => c.Key == attempt.AccountKey).ExecuteDeleteAsync(ct);
    }

    /// <summary>A wrong password (or a locked account): one more failure for the account at this IP, in one atomic upsert.</summary>
    public Task FailedAsync(PasswordTry attempt, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var forgetAt = now + (long)Memory.TotalMilliseconds;
        if (db.Database.IsSqlServer())
            return db.Database.ExecuteSqlAsync($"""
                MERGE "RateLimitCounters" WITH (HOLDLOCK) AS t USING (SELECT {attempt.AccountKey} AS "Key") AS s ON t."Key" = s."Key"
                WHEN MATCHED THEN UPDATE SET
                  "Count" = CASE WHEN t."ExpiresAt" < {now} THEN 1 ELSE t."Count" + 1 END,
                  "ExpiresAt" = {forgetAt}
                WHEN NOT MATCHED THEN INSERT ("Key", "Count", "ExpiresAt") VALUES ({attempt.AccountKey}, 1, {forgetAt});
                """, ct);
        return db.Database.ExecuteSqlAsync($"""
            INSERT INTO "RateLimitCounters" ("Key", "Count", "ExpiresAt") VALUES ({attempt.AccountKey}, 1, {forgetAt})
            ON CONFLICT ("Key") DO UPDATE SET
              "Count" = CASE WHEN "RateLimitCounters"."ExpiresAt" < {now} THEN 1 ELSE "RateLimitCounters"."Count" + 1 END,
              "ExpiresAt" = {forgetAt}
            """, ct);
    }

    private async Task<TimeSpan?> AccountWaitAsync(string key, CancellationToken ct)
    {
        var row = await db.RateLimitCounters.AsNoTracking().FirstOrDefaultAsync(c => c.Key == key, ct);
        var now = clock.GetUtcNow();
        var rules = options.CurrentValue.Password;
        if (row is null || row.ExpiresAt <= now || row.Count < rules.FailuresBeforeDelay) return null;
        // The row expires a fixed time after its last failure, so the last failure's time is read back from it.
        var lastFailure = row.ExpiresAt - Memory;
        var delay = new Backoff(FirstDelay, TimeSpan.FromSeconds(rules.MaxDelaySeconds)).Delay(row.Count - rules.FailuresBeforeDelay + 1);
        var wait = lastFailure + delay - now;
        return wait > TimeSpan.Zero ? wait : null;
    }

    /// <summary>Hashed, so the counters table holds no e-mail address, and short enough for its key column.</summary>
    private static string AccountKey(string account, string clientIp) =>
        "password-account:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(account.Trim().ToUpperInvariant() + "\n" + clientIp)));
}

/// <summary>One password try in progress: what to count when its outcome is known.</summary>
internal sealed record PasswordTry(string AccountKey, string ClientIp, RateLimitDecision? IpHit);
