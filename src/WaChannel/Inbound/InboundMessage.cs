namespace WaIdentity.WaChannel.Inbound;

/// <param name="Phone">E.164 of the sender, mapped from the WhatsApp id to the number we know it by.</param>
/// <param name="ProfileName">The sender's WhatsApp profile name: chosen by the sender, untrusted display text.</param>
/// <param name="ProviderMessageId">The provider's id (wamid...), unique per message; duplicates are dropped before subscribers see them.</param>
/// <param name="ButtonPayload">Set when the person pressed a reply button (a template's quick reply or an interactive
/// message's button): the payload we sent with that button; <paramref name="Text"/> is then the button's label.</param>
public sealed record InboundMessage(string Phone, string? ProfileName, string Text, DateTimeOffset SentAt, string ProviderMessageId, string? ButtonPayload = null);

/// <summary>Told once of every inbound message (after dedupe), off the webhook's request path.</summary>
public interface IInboundMessageSubscriber
{
    /// <returns>True when the message was meant for this subscriber (a login or verification code, even a stale one),
    /// so it is not forwarded to apps as an ordinary message.</returns>
    Task<bool> OnInboundAsync(InboundMessage message, CancellationToken ct);
}

/// <summary>Told of the inbound messages that no <see cref="IInboundMessageSubscriber"/> claimed (e.g. to forward them to an app).</summary>
public interface IUnclaimedInboundHandler
{
    Task OnUnclaimedAsync(InboundMessage message, CancellationToken ct);
}

/// <summary>The dedupe record of an inbound message.</summary>
internal sealed class InboundMessageRecord
{
    public string ProviderMessageId { get; set; } = "";
    public string Phone { get; set; } = "";
    public DateTimeOffset ReceivedAt { get; set; }
}
