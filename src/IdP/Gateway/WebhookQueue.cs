using System.Text.Json;
using WaIdentity.IdP.Persistence;

namespace WaIdentity.IdP.Gateway;

/// <summary>Writes a webhook delivery; <see cref="WebhookDeliveryWorker"/> sends it (at least once) in the background.</summary>
internal sealed class WebhookQueue(IdpDbContext db, WebhookDeliverySignal signal, TimeProvider clock)
{
    public async Task<WebhookDelivery> EnqueueAsync(string clientId, string kind, string url, object body, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var delivery = new WebhookDelivery
        {
            Id = Guid.NewGuid().ToString("N"), ClientId = clientId, Kind = kind, Url = url, Body = JsonSerializer.Serialize(body, JsonBody.Snake),
            State = WebhookState.Pending, NextAttemptAt = now, CreatedAt = now,
        };
        db.Set<WebhookDelivery>().Add(delivery);
        await db.SaveChangesAsync(ct);
        signal.Notify();
        return delivery;
    }
}
