using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WaIdentity.WaChannel.Configuration;
using WaIdentity.WaChannel.Persistence;

namespace WaIdentity.WaChannel.Webhooks;

/// <summary>
/// The lease columns of the stored webhook events, a batch at a time: claim the oldest due events in one statement,
/// keep them while they are handled, record what became of them. A batch's owner (LeaseOwner) is unique to that batch,
/// so every statement after the claim touches only rows this claim won and still holds; a node that dies holding a
/// batch delays its events by at most one lease, then any node claims them. Between tries LeaseUntil holds the time an
/// event is due again. Registered scoped; <see cref="RenewAsync"/> runs beside the handling, in a scope of its own.
/// </summary>
internal sealed class WebhookLeases(ChannelDbContext db, IOptions<ChannelOptions> options, TimeProvider clock)
{
    public TimeSpan Lease => TimeSpan.FromSeconds(options.Value.Webhooks.LeaseSeconds);

    /// <summary>Leases up to <paramref name="take"/> due events, oldest first, to <paramref name="owner"/>; returns those it won.</summary>
    public async Task<List<WebhookEvent>> ClaimAsync(string owner, int take, CancellationToken ct)
    {
        // Raw SQL because EF has no UPDATE … RETURNING: claiming and reading the batch is one statement, so a batch
        // costs one writer turn on SQLite however many events it holds. Times are Unix ms (UnixTimeConvention): raw
        // parameters bypass the model's converters.
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var until = now + (long)Lease.TotalMilliseconds;
        var events = db.Set<WebhookEvent>();
        var claim = db.Database.ProviderName switch
        {
            // Under READ COMMITTED the subquery's snapshot may still show as due the events another node is claiming;
            // without FOR UPDATE this statement would wait for that claim to commit and then take them as well. SKIP
            // LOCKED passes over them (each node takes different events), and the outer WHERE repeats "due" so the
            // update itself is conditional, whatever the subquery returns.
            "Npgsql.EntityFrameworkCore.PostgreSQL" => events.FromSql($"""
                UPDATE "ChannelWebhookEvents" SET "LeaseOwner" = {owner}, "LeaseUntil" = {until}
                WHERE "Id" IN (SELECT "Id" FROM "ChannelWebhookEvents"
                    WHERE "ProcessedAt" IS NULL AND ("LeaseUntil" IS NULL OR "LeaseUntil" < {now})
                    ORDER BY "ReceivedAt" LIMIT {take} FOR UPDATE SKIP LOCKED)
                  AND "ProcessedAt" IS NULL AND ("LeaseUntil" IS NULL OR "LeaseUntil" < {now})
                RETURNING *
                """),
            // Not tested against a live server (as every SqlServer branch): an updatable CTE is its UPDATE … LIMIT.
            "Microsoft.EntityFrameworkCore.SqlServer" => events.FromSql($"""
                WITH due AS (SELECT TOP ({take}) * FROM "ChannelWebhookEvents" WITH (UPDLOCK, READPAST, ROWLOCK)
                    WHERE "ProcessedAt" IS NULL AND ("LeaseUntil" IS NULL OR "LeaseUntil" < {now}) ORDER BY "ReceivedAt")
                UPDATE due SET "LeaseOwner" = {owner}, "LeaseUntil" = {until} OUTPUT inserted.*
                """),
            // SQLite has one writer, so nothing can claim a row between the subquery and the update.
            _ => events.FromSql($"""
                UPDATE "ChannelWebhookEvents" SET "LeaseOwner" = {owner}, "LeaseUntil" = {until}
                WHERE "Id" IN (SELECT "Id" FROM "ChannelWebhookEvents"
                    WHERE "ProcessedAt" IS NULL AND ("LeaseUntil" IS NULL OR "LeaseUntil" < {now})
                    ORDER BY "ReceivedAt" LIMIT {take})
                RETURNING *
                """),
        };
        return await claim.AsNoTracking().ToListAsync(ct);
    }

    /// <summary>Extends the lease on the events of a batch that <paramref name="owner"/> still holds.</summary>
    public Task RenewAsync(string owner, IReadOnlyList<Guid> ids, CancellationToken ct)
    {
        DateTimeOffset? until = clock.GetUtcNow() + Lease;
        return Held(owner, ids).ExecuteUpdateAsync(s => s.SetProperty(w => w.LeaseUntil, until), ct);
    }

    /// <summary>
    /// Records a handled batch and releases its lease: one statement for the done events, one per retry time, one for
    /// the untried. Rows whose lease <paramref name="owner"/> lost meanwhile are left to whoever holds them now.
    /// </summary>
    public async Task RecordAsync(string owner, WebhookBatchOutcome outcome, CancellationToken ct)
    {
        DateTimeOffset? now = clock.GetUtcNow();
        if (outcome.Done.Count > 0)
            await Held(owner, outcome.Done).ExecuteUpdateAsync(s => s
                .SetProperty(w => w.Attempts, w => w.Attempts + 1)
                .SetProperty(w => w.ProcessedAt, now)
                .SetProperty(w => w.LeaseOwner, (string?)null)
                .SetProperty(w => w.LeaseUntil, (DateTimeOffset?)null), ct);
        foreach (var (dueAt, ids) in outcome.Retries)
        {
            DateTimeOffset? due = dueAt;
            await Held(owner, ids).ExecuteUpdateAsync(s => s
                .SetProperty(w => w.Attempts, w => w.Attempts + 1)
                .SetProperty(w => w.LeaseOwner, (string?)null)
                .SetProperty(w => w.LeaseUntil, due), ct);
        }
        if (outcome.Untried.Count > 0)
            await Held(owner, outcome.Untried).ExecuteUpdateAsync(s => s
                .SetProperty(w => w.LeaseOwner, (string?)null)
                .SetProperty(w => w.LeaseUntil, (DateTimeOffset?)null), ct);
    }

    /// <summary>By id as well as owner: the owner column has no index, the key has.</summary>
    private IQueryable<WebhookEvent> Held(string owner, IReadOnlyList<Guid> ids) =>
        db.Set<WebhookEvent>().Where(w => w.LeaseOwner == owner && ids.Contains(w.Id));
}
