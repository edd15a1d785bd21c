using Microsoft.EntityFrameworkCore;
using WaIdentity.IdP.Persistence;

namespace WaIdentity.IdP.RateLimiting;

/// <summary>The outcome of counting one hit: allowed or not, and when the window ends.</summary>
public sealed record RateLimitDecision(bool Allowed, int Count, DateTimeOffset WindowEndsAt)
{
    public TimeSpan RetryAfter(DateTimeOffset now) => Allowed ? TimeSpan.Zero : WindowEndsAt - now;
}

/// <summary>
/// Fixed-window counters in the database, so a limit counted on one node holds on every node. The increment is a
/// single atomic upsert (INSERT ... ON CONFLICT ... RETURNING), which SQLite and PostgreSQL both support.
/// </summary>
public sealed class FixedWindowLimiter(IdpDbContext db, TimeProvider clock)
{
    public Task<RateLimitDecision> HitAsync(string bucket, string subject, int limit, TimeSpan window, CancellationToken ct = default) =>
        HitAsync(bucket, subject, limit, window, 1, ct);

    /// <summary>Counts <paramref name="hits"/> at once (a node reserving a block of allowance); allowed when all of them fit.</summary>
    public async Task<RateLimitDecision> HitAsync(string bucket, string subject, int limit, TimeSpan window, int hits, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var windowIndex = now.ToUnixTimeMilliseconds() / (long)window.TotalMilliseconds;
        var endsAt = DateTimeOffset.FromUnixTimeMilliseconds((windowIndex + 1) * (long)window.TotalMilliseconds);
        var key = $"{bucket}:{subject}:{windowIndex}";
        var count = await db.Database.SqlQuery<int>($"""
            INSERT INTO "RateLimitCounters" ("Key", "Count", "ExpiresAt") VALUES ({key}, {hits}, {endsAt.ToUnixTimeMilliseconds()})
            ON CONFLICT ("Key") DO UPDATE SET "Count" = "RateLimitCounters"."Count" + {hits}
            RETURNING "Count" AS "Value"
            """).ToListAsync(ct);
        return new RateLimitDecision(count[0] <= limit, count[0], endsAt);
    }
}
