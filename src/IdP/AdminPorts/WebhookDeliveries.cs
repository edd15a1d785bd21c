using WaIdentity.Admin.Webhooks;
using WaIdentity.IdP.Gateway;

namespace WaIdentity.IdP.AdminPorts;

/// <summary>The portal's view of the gateway's deliveries, over the same <see cref="WebhookReplay"/> the CLI uses.</summary>
internal sealed class WebhookDeliveries(WebhookReplay replay) : IWebhookDeliveries
{
    public async Task<IReadOnlyList<WebhookDeliveryRow>> ListAsync(string? state, int take, CancellationToken ct = default)
    {
        WebhookState? wanted = Enum.TryParse<WebhookState>(state, out var s) ? s : null;
        return (await replay.ListAsync(wanted, take, ct)).Select(ToRow).ToList();
    }

    public async Task<WebhookDeliveryRow?> ReplayAsync(string id, CancellationToken ct = default)
    {
        var before = await replay.FindAsync(id, ct);
        if (before is null || !await replay.ReplayAsync(id, ct)) return null;
        return ToRow(before);
    }

    private static WebhookDeliveryRow ToRow(WebhookDelivery d) =>
        new(d.Id, d.ClientId, d.Kind, d.Url, d.State.ToString(), d.Attempts, d.LastError, d.CreatedAt, d.DeliveredAt);
}
