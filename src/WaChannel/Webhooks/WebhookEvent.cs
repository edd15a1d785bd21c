namespace WaIdentity.WaChannel.Webhooks;

/// <summary>A signed webhook body as received, stored before it is acted on so the request is answered fast.</summary>
internal sealed class WebhookEvent
{
    public Guid Id { get; set; }
    /// <summary>"whatsapp", "sms" or "gateway".</summary>
    public string Source { get; set; } = "";
    public string Body { get; set; } = "";
    public DateTimeOffset ReceivedAt { get; set; }
    public DateTimeOffset? ProcessedAt { get; set; }
    /// <summary>While a node handles the event: until when it holds it. After a try that could not finish: when it is due again.</summary>
    public DateTimeOffset? LeaseUntil { get; set; }
    /// <summary>The node whose claim won the current lease (see ILeasedQueue).</summary>
    public string? LeaseOwner { get; set; }
    public int Attempts { get; set; }
    /// <summary>The W3C trace context of the request that delivered the body (see ChannelTracing); null when untraced.</summary>
    public string? TraceParent { get; set; }
}
