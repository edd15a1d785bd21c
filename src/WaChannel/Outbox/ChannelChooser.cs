using WaIdentity.WaChannel.Codes;

namespace WaIdentity.WaChannel.Outbox;

/// <summary>The first channel a message goes out on: the wanted one when it can deliver, else SMS when the policy allows.</summary>
public static class ChannelChooser
{
    public static ChannelKind Choose(ChannelAvailabilityReader availability, DeliveryPolicy policy, ChannelKind? preferred)
    {
        var wanted = preferred == ChannelKind.Sms || policy == DeliveryPolicy.SmsOnly ? ChannelKind.Sms : ChannelKind.WhatsApp;
        if (preferred == ChannelKind.Sms && policy == DeliveryPolicy.WhatsAppOnly)
            throw new CodeSendRefusedException("no_channel", "SMS is not allowed for this message.");
        if (availability.Has(wanted)) return wanted;
        if (wanted == ChannelKind.WhatsApp && policy == DeliveryPolicy.WhatsAppOrSms && availability.Has(ChannelKind.Sms))
            return ChannelKind.Sms;
        throw new CodeSendRefusedException("no_channel", $"{(wanted == ChannelKind.Sms ? "SMS" : "WhatsApp")} is not configured, so the message cannot be sent.");
    }
}
