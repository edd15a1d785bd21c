using WaIdentity.WaChannel.Codes;

namespace WaIdentity.WaChannel.Outbox;

/// <summary>
/// The one decision of which channel a message goes out on first: the wanted one (SMS when the person asked for it or the
/// policy says so) when it can deliver, else SMS when the policy allows it. Never fails silently (Authgear #3842): a send
/// no channel can carry is refused with the reason, which the caller shows.
/// </summary>
internal static class ChannelChooser
{
    public static ChannelDecision Choose(ChannelAvailability available, DeliveryPolicy policy, ChannelKind? preferred)
    {
        if (preferred == ChannelKind.Sms || policy == DeliveryPolicy.SmsOnly)
        {
            if (policy == DeliveryPolicy.WhatsAppOnly) return Refused(SendRefusalReason.SmsNotAllowed, "SMS is not allowed for this message.");
            return available.Sms ? new(ChannelKind.Sms, null)
                : Refused(SendRefusalReason.SmsUnavailable, "SMS is not configured, so the message cannot be sent.");
        }
        if (available.WhatsApp) return new(ChannelKind.WhatsApp, null);
        if (policy == DeliveryPolicy.WhatsAppOrSms && available.Sms) return new(ChannelKind.Sms, null);
        return policy == DeliveryPolicy.WhatsAppOnly
            ? Refused(SendRefusalReason.WhatsAppUnavailable, "WhatsApp is not configured, so the message cannot be sent.")
            : Refused(SendRefusalReason.NoChannel, "Neither WhatsApp nor SMS is configured, so the message cannot be sent.");
    }

    private static ChannelDecision Refused(SendRefusalReason reason, string message) => new(default, new SendRefusal(reason, message));
}
