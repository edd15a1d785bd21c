using WaIdentity.WaChannel.Codes;

namespace WaIdentity.WaChannel.Outbox;

/// <summary>Question: a text with reply buttons (<see cref="Codes.ReplyButtons"/>), its payload <see cref="QuestionContent"/>.</summary>
public enum MessageKind { Code, Text, Question }

/// <summary>Where the outbox is with handing the message to its provider (the delivery state is separate).</summary>
public enum DispatchState { Pending, Accepted, Rejected }

/// <summary>
/// One message to one phone (or, on the linked device, one group) on one channel. Written before any network call; an SMS fallback is a second row
/// linked both ways (<see cref="FallbackId"/> / <see cref="FallbackOfId"/>), so the message log shows both tries.
/// </summary>
public sealed class OutboundMessage
{
    public Guid Id { get; set; }
    public MessageKind Kind { get; set; }
    public ChannelKind Channel { get; set; }
    public DeliveryPolicy Policy { get; set; }
    /// <summary>E.164; on the Device channel it may be a group chat id (…@g.us) instead.</summary>
    public string Phone { get; set; } = "";
    public string Locale { get; set; } = "en";
    public string Purpose { get; set; } = "";
    /// <summary>The code or text, encrypted with Data Protection (the provider needs it in clear, so not hashed).</summary>
    public string Payload { get; set; } = "";
    public bool Suppressed { get; set; }
    /// <summary>The requesting address, kept for the per-IP send limit. Set ("" without an address) on every text sent
    /// under the send limits, which is how the limits count such a text.</summary>
    public string? ClientIp { get; set; }
    public DeliveryState State { get; set; }
    public DispatchState Dispatch { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public string? LeaseOwner { get; set; }
    public DateTimeOffset? LeaseUntil { get; set; }
    public string? ProviderMessageId { get; set; }
    /// <summary>The WhatsApp id the Cloud API reported for <see cref="Phone"/>; may differ from the dialled digits.</summary>
    public string? WaId { get; set; }
    public string? ErrorCode { get; set; }
    public string? Error { get; set; }
    public Guid? FallbackOfId { get; set; }
    public Guid? FallbackId { get; set; }
    /// <summary>Under WhatsAppOrSms: when no `delivered` by then, the fallback job sends the code by SMS.</summary>
    public DateTimeOffset? DeliverBy { get; set; }
    /// <summary>From the status webhook's pricing: true for a paid template, false for a free reply; null until known.</summary>
    public bool? Billable { get; set; }
    public string? PricingCategory { get; set; }
    /// <summary>The W3C trace context of the span that enqueued the message (see ChannelTracing); null when untraced.</summary>
    public string? TraceParent { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>One row per state a message reached, with its time: the message log's history and the dedupe key.</summary>
internal sealed class MessageStatusEvent
{
    public Guid MessageId { get; set; }
    public DeliveryState State { get; set; }
    public DateTimeOffset At { get; set; }
    public string? ErrorCode { get; set; }
}
