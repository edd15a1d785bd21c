using Microsoft.EntityFrameworkCore;
using WaIdentity.IdP.Persistence;

namespace WaIdentity.IdP.Gateway.Device;

/// <summary>
/// Lets a client read one device resource at most once per <see cref="Interval"/>: a poll is allowed only when the
/// previous allowed one is at least that old (a sliding gap, not a fixed window that lets two polls through across
/// its edge). One conditional upsert, so it holds across nodes. Returns how long to wait when refused.
/// </summary>
internal sealed class PollSpacing(IdpDbContext db, TimeProvider clock)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    public async Task<TimeSpan?> TooSoonAsync(string clientId, string resource, CancellationToken ct)
    {
        var key = $"device-poll:{clientId}:{resource}";
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var next = now + (long)Interval.TotalMilliseconds;
        var granted = await (db.Database.IsSqlServer()
            ? db.Database.SqlQuery<int>($"""
                MERGE "RateLimitCounters" WITH (HOLDLOCK) AS t USING (SELECT {key} AS "Key") AS s ON t."Key" = s."Key"
                WHEN MATCHED AND t."ExpiresAt" <= {now} THEN UPDATE SET "Count" = 1, "ExpiresAt" = {next}
                WHEN NOT MATCHED THEN INSERT ("Key", "Count", "ExpiresAt") VALUES ({key}, 1, {next})
                OUTPUT inserted."Count" AS "Value";
                """)
            : db.Database.SqlQuery<int>($"""
                INSERT INTO "RateLimitCounters" ("Key", "Count", "ExpiresAt") VALUES ({key}, 1, {next})
                ON CONFLICT ("Key") DO UPDATE SET "Count" = 1, "ExpiresAt" = {next} WHERE "RateLimitCounters"."ExpiresAt" <= {now}
                RETURNING "Count" AS "Value"
                """)).ToListAsync(ct);
        if (granted.Count == 1) return null;
        var until = await db.Database.SqlQuery<long>($"""SELECT "ExpiresAt" AS "Value" FROM "RateLimitCounters" WHERE "Key" = {key}""").ToListAsync(ct);
        return TimeSpan.FromMilliseconds(Math.Max(1, (until.FirstOrDefault(next)) - now));
    }
}
