namespace WaIdentity.WaChannel.Webhooks;

/// <summary>A signed webhook body as received, stored before it is acted on so the request is answered fast.</summary>
public sealed class WebhookEvent
{
    public Guid Id { get; set; }
    /// <summary>"whatsapp", "sms" or "gateway".</summary>
    public string Source { get; set; } = "";
    public string Body { get; set; } = "";
    public DateTimeOffset ReceivedAt { get; set; }
    public DateTimeOffset? ProcessedAt { get; set; }
    public DateTimeOffset? LeaseUntil { get; set; }
    public int Attempts { get; set; }
    /// <summary>The W3C trace context of the request that delivered the body (see ChannelTracing); null when untraced.</summary>
    public string? TraceParent { get; set; }
}
