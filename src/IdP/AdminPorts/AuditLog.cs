using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WaIdentity.Admin.Audit;
using WaIdentity.IdP.Persistence;

namespace WaIdentity.IdP.AdminPorts;

internal sealed class AuditLog(IdpDbContext db, TimeProvider clock) : IAuditLog
{
    public async Task RecordAsync(string actorId, string action, string target, object? before, object? after, CancellationToken ct = default)
    {
        db.Set<AuditRecord>().Add(new AuditRecord
        {
            At = clock.GetUtcNow(),
            ActorId = actorId,
            Action = action,
            Target = target,
            Before = before is null ? null : JsonSerializer.Serialize(before),
            After = after is null ? null : JsonSerializer.Serialize(after),
        });
        await db.SaveChangesAsync(ct);
    }

    public async Task<IReadOnlyList<AuditEntry>> RecentAsync(int limit, CancellationToken ct = default) =>
        await db.Set<AuditRecord>().AsNoTracking().OrderByDescending(r => r.Id).Take(limit)
            .Select(r => new AuditEntry(r.At, r.ActorId, r.Action, r.Target, r.Before, r.After)).ToListAsync(ct);
}
