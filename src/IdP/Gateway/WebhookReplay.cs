using Microsoft.EntityFrameworkCore;
using WaIdentity.IdP.Persistence;

namespace WaIdentity.IdP.Gateway;

/// <summary>
/// The replay action for dead-lettered deliveries (CLI <c>webhooks replay</c>; the admin portal can call the same
/// port): puts the delivery back in the queue with a fresh try count. Delivered ones can be replayed too, on purpose.
/// </summary>
internal sealed class WebhookReplay(IdpDbContext db, TimeProvider clock)
{
    /// <param name="clientId">Only this client's deliveries (the developer page); null: every client's.</param>
    public Task<List<WebhookDelivery>> ListAsync(WebhookState? state, int take, CancellationToken ct = default, string? clientId = null)
    {
        var query = db.Set<WebhookDelivery>().AsNoTracking();
        if (state is not null) query = query.Where(d => d.State == state);
        if (clientId is not null) query = query.Where(d => d.ClientId == clientId);
        return query.OrderByDescending(d => d.CreatedAt).Take(take).ToListAsync(ct);
    }

    public Task<WebhookDelivery?> FindAsync(string id, CancellationToken ct = default) =>
        db.Set<WebhookDelivery>().AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, ct);

    /// <returns>False for an unknown id.</returns>
    public async Task<bool> ReplayAsync(string id, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        return await db.Set<WebhookDelivery>().Where(d => d.Id == id).ExecuteUpdateAsync(u => u
            .SetProperty(d => d.State, WebhookState.Pending).SetProperty(d => d.Attempts, 0)
            .SetProperty(d => d.NextAttemptAt, now).SetProperty(d => d.LastError, (string?)null), ct) > 0;
    }
}
