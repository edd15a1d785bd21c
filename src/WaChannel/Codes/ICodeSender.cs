namespace WaIdentity.WaChannel.Codes;

/// <summary>
/// What the IdP asks of the channel: deliver a one-time code and say what became of it. The channel writes the
/// message to its outbox before any network call, so a handle always refers to a message that will be tried.
/// </summary>
public interface ICodeSender
{
    /// <summary>Queues the code for delivery by the policy's channels and returns at once; or refuses it (a bad request,
    /// no channel for it, a number that may not be sent to, a send limit with the time to wait) and writes nothing.</summary>
    Task<SendResult> SendCodeAsync(CodeRequest request, CancellationToken ct = default);

    /// <summary>The channel a code with this policy and preference would go out on now, or why none can carry it: the
    /// same decision <see cref="SendCodeAsync"/> makes, for a page that says so before anyone types a number.</summary>
    ChannelDecision Choose(DeliveryPolicy policy, ChannelKind? preferred = null);

    /// <summary>The message's latest delivery state, or null for an unknown handle.</summary>
    Task<DeliveryStatus?> GetStatusAsync(MessageHandle handle, CancellationToken ct = default);

    /// <summary>Which channels can deliver right now (configured and, for the device, linked).</summary>
    ChannelAvailability Availability { get; }
}

/// <param name="Phone">E.164 with a leading '+', ASCII digits only (the IdP normalises it).</param>
/// <param name="Purpose">Free text the channel only logs and counts by, e.g. "login" or "verify-phone".</param>
/// <param name="Locale">BCP 47 language of the template, e.g. "en" or "id".</param>
/// <param name="Preferred">Sms when the user asked for "send by SMS instead"; null follows the policy.</param>
/// <param name="Suppressed">Test numbers: recorded as sent, never handed to a provider.</param>
/// <param name="ClientIp">The requesting browser's address, for the per-IP send limit; null skips that limit.</param>
public sealed record CodeRequest(
    string Phone,
    string Code,
    string Purpose,
    string Locale,
    DeliveryPolicy Policy,
    ChannelKind? Preferred = null,
    bool Suppressed = false,
    string? ClientIp = null);

public readonly record struct MessageHandle(Guid Id)
{
    public override string ToString() => Id.ToString("N");
}

public enum DeliveryPolicy { WhatsAppOnly, WhatsAppOrSms, SmsOnly }

/// <summary>WhatsApp is the Cloud API; Device is the business number's linked gateway device (groups go only there).</summary>
public enum ChannelKind { WhatsApp, Sms, Device }

/// <summary>Ordered: a later state never goes back to an earlier one (except Failed, which ends a channel's try).</summary>
public enum DeliveryState { Queued, Sent, Delivered, Read, Failed }

/// <param name="Channel">The channel of the latest attempt (Sms after a fallback).</param>
/// <param name="FellBack">True when WhatsApp failed or timed out and the same code went out by SMS.</param>
/// <param name="Error">A short reason fit to show a user ("This number has no WhatsApp"), never a secret.</param>
/// <param name="FallbackReason">Why the code went by SMS as well, when <paramref name="FellBack"/>.</param>
/// <param name="ErrorCode">The provider's code for <paramref name="Error"/>, e.g. WhatsApp's "131047" (outside the 24-hour window).</param>
public sealed record DeliveryStatus(
    MessageHandle Handle,
    ChannelKind Channel,
    DeliveryState State,
    bool FellBack,
    string? Error,
    DateTimeOffset UpdatedAt,
    FallbackReason FallbackReason = FallbackReason.None,
    string? ErrorCode = null)
{
    /// <summary>WhatsApp refused a free text because the person has not written to the business number in the last 24 hours.</summary>
    public bool OutsideCustomerServiceWindow => Channel == ChannelKind.WhatsApp && ErrorCode == "131047";
}

/// <summary>
/// WhatsAppFailed: WhatsApp refused or reported a failure. NoDeliveryReport: WhatsApp said nothing in time (no answer
/// to the send, or no `delivered` report); the WhatsApp message may still arrive.
/// </summary>
public enum FallbackReason { None, WhatsAppFailed, NoDeliveryReport }

/// <param name="Groups">True when group texts can be queued: the linked device is enabled.</param>
public sealed record ChannelAvailability(bool WhatsApp, bool Sms, bool Groups = false);

/// <summary>Told of every delivery state change; the IdP uses it for metrics and live status.</summary>
internal interface IDeliveryObserver
{
    Task OnDeliveryChangedAsync(DeliveryStatus status, CancellationToken ct);
}
