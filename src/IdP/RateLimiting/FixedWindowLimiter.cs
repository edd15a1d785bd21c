using Microsoft.EntityFrameworkCore;
using WaIdentity.IdP.Persistence;

namespace WaIdentity.IdP.RateLimiting;

/// <summary>The outcome of counting one hit: allowed or not, and when the window ends.</summary>
internal sealed record RateLimitDecision(bool Allowed, int Count, DateTimeOffset WindowEndsAt)
{
    public TimeSpan RetryAfter(DateTimeOffset now) => Allowed ? TimeSpan.Zero : WindowEndsAt - now;
}

/// <summary>
/// Fixed-window counters in the database, so a limit counted on one node holds on every node. The increment is a
/// single atomic upsert (INSERT ... ON CONFLICT ... RETURNING on SQLite and PostgreSQL, MERGE ... WITH (HOLDLOCK)
/// ... OUTPUT on SQL Server, where HOLDLOCK keeps two concurrent first hits from both inserting).
/// </summary>
internal sealed class FixedWindowLimiter(IdpDbContext db, TimeProvider clock)
{
    public async Task<RateLimitDecision> HitAsync(string bucket, string subject, int limit, TimeSpan window, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var windowIndex = now.ToUnixTimeMilliseconds() / (long)window.TotalMilliseconds;
        var endsAt = DateTimeOffset.FromUnixTimeMilliseconds((windowIndex + 1) * (long)window.TotalMilliseconds);
        var key = $"{bucket}:{subject}:{windowIndex}";
        var count = await (db.Database.IsSqlServer()
            ? db.Database.SqlQuery<int>($"""
                MERGE "RateLimitCounters" WITH (HOLDLOCK) AS t USING (SELECT {key} AS "Key") AS s ON t."Key" = s."Key"
                WHEN MATCHED THEN UPDATE SET "Count" = t."Count" + 1
                WHEN NOT MATCHED THEN INSERT ("Key", "Count", "ExpiresAt") VALUES ({key}, 1, {endsAt.ToUnixTimeMilliseconds()})
                OUTPUT inserted."Count" AS "Value";
                """)
            : db.Database.SqlQuery<int>($"""
                INSERT INTO "RateLimitCounters" ("Key", "Count", "ExpiresAt") VALUES ({key}, 1, {endsAt.ToUnixTimeMilliseconds()})
                ON CONFLICT ("Key") DO UPDATE SET "Count" = "RateLimitCounters"."Count" + 1
                RETURNING "Count" AS "Value"
                """)).ToListAsync(ct);
        return new RateLimitDecision(count[0] <= limit, count[0], endsAt);
    }

    /// <summary>How many hits the current window has counted so far, without counting one (e.g. a quota's use shown to its owner).</summary>
    public async Task<int> CountAsync(string bucket, string subject, TimeSpan window, CancellationToken ct = default)
    {
        var windowIndex = clock.GetUtcNow().ToUnixTimeMilliseconds() / (long)window.TotalMilliseconds;
        var key = $"{bucket}:{subject}:{windowIndex}";
        return await db.RateLimitCounters.AsNoTracking().Where(c => c.Key == key).Select(c => c.Count).FirstOrDefaultAsync(ct);
    }

    /// <summary>Gives back a hit that turned out not to count (e.g. a right password where only failures are limited).</summary>
    public Task RefundAsync(string bucket, string subject, TimeSpan window, RateLimitDecision hit, CancellationToken ct = default)
    {
        var windowIndex = hit.WindowEndsAt.ToUnixTimeMilliseconds() / (long)window.TotalMilliseconds - 1;
        var key = $"{bucket}:{subject}:{windowIndex}";
        return db.Database.ExecuteSqlAsync($"""UPDATE "RateLimitCounters" SET "Count" = "Count" - 1 WHERE "Key" = {key} AND "Count" > 0""", ct);
    }
}
