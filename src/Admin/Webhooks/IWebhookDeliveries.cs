namespace WaIdentity.Admin.Webhooks;

/// <summary>The gateway's signed deliveries to apps (verification callbacks, forwarded messages). A port the host implements.</summary>
public interface IWebhookDeliveries
{
    /// <param name="state">"Pending", "Delivered" or "Dead"; null lists all.</param>
    Task<IReadOnlyList<WebhookDeliveryRow>> ListAsync(string? state, int take, CancellationToken ct = default);

    /// <summary>Queues the delivery again with a fresh try count (same body, new timestamp and signature).</summary>
    /// <returns>The row before the replay, or null for an unknown id.</returns>
    Task<WebhookDeliveryRow?> ReplayAsync(string id, CancellationToken ct = default);
}

/// <summary>What the portal shows of a delivery: never its body (phone numbers, message texts).</summary>
public sealed record WebhookDeliveryRow(
    string Id, string ClientId, string Kind, string Url, string State, int Attempts, string? LastError,
    DateTimeOffset CreatedAt, DateTimeOffset? DeliveredAt);
