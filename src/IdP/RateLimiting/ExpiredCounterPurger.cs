using Microsoft.EntityFrameworkCore;
using WaIdentity.IdP.Jobs;
using WaIdentity.IdP.Persistence;

namespace WaIdentity.IdP.RateLimiting;

internal sealed class ExpiredCounterPurger(IdpDbContext db) : IExpiredRowPurger
{
    public string Name => "rate-limit counters";

    public Task<int> PurgeAsync(DateTimeOffset now, CancellationToken ct) =>
        db.RateLimitCounters.Where(c => c.ExpiresAt < now).ExecuteDeleteAsync(ct);
}
