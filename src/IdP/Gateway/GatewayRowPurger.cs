using Microsoft.EntityFrameworkCore;
using WaIdentity.IdP.Jobs;
using WaIdentity.IdP.Persistence;

namespace WaIdentity.IdP.Gateway;

/// <summary>Deletes verifications a day after they expire and delivered webhooks after a week (dead ones stay for replay).</summary>
public sealed class GatewayRowPurger(IdpDbContext db) : IExpiredRowPurger
{
    public string Name => "gateway verifications and delivered webhooks";

    public async Task<int> PurgeAsync(DateTimeOffset now, CancellationToken ct)
    {
        var dayAgo = now.AddDays(-1);
        var weekAgo = now.AddDays(-7);
        return await db.Set<PhoneVerification>().Where(v => v.ExpiresAt < dayAgo).ExecuteDeleteAsync(ct)
            + await db.Set<WebhookDelivery>().Where(d => d.State == WebhookState.Delivered && d.CreatedAt < weekAgo).ExecuteDeleteAsync(ct);
    }
}
