using WaIdentity.WaChannel.Codes;
using WaIdentity.WaChannel.Outbox;

namespace WaIdentity.Tests.Channel;

/// <summary>The one decision of which channel a message takes, which the login pages also ask before sending.</summary>
public sealed class ChannelChooserTests
{
    [Theory]
    [InlineData(DeliveryPolicy.WhatsAppOrSms, true, true, false, ChannelKind.WhatsApp)]
    [InlineData(DeliveryPolicy.WhatsAppOrSms, false, true, false, ChannelKind.Sms)] // WhatsApp down: SMS, and the page says so
    [InlineData(DeliveryPolicy.WhatsAppOrSms, true, true, true, ChannelKind.Sms)] // the person asked for SMS
    [InlineData(DeliveryPolicy.SmsOnly, true, true, false, ChannelKind.Sms)]
    [InlineData(DeliveryPolicy.WhatsAppOnly, true, false, false, ChannelKind.WhatsApp)]
    public void A_channel_that_can_deliver_is_chosen(DeliveryPolicy policy, bool whatsApp, bool sms, bool askedForSms, ChannelKind expected)
    {
        var decision = ChannelChooser.Choose(new ChannelAvailability(whatsApp, sms), policy, askedForSms ? ChannelKind.Sms : null);

        Assert.Null(decision.Refusal);
        Assert.Equal(expected, decision.Channel);
    }

    [Theory]
    [InlineData(DeliveryPolicy.WhatsAppOnly, true, true, true, SendRefusalReason.SmsNotAllowed)]
    [InlineData(DeliveryPolicy.WhatsAppOrSms, true, false, true, SendRefusalReason.SmsUnavailable)]
    [InlineData(DeliveryPolicy.SmsOnly, true, false, false, SendRefusalReason.SmsUnavailable)]
    [InlineData(DeliveryPolicy.WhatsAppOnly, false, true, false, SendRefusalReason.WhatsAppUnavailable)]
    [InlineData(DeliveryPolicy.WhatsAppOrSms, false, false, false, SendRefusalReason.NoChannel)]
    public void A_send_no_channel_can_carry_is_refused_with_its_reason_and_no_wait(DeliveryPolicy policy, bool whatsApp, bool sms, bool askedForSms,
        SendRefusalReason expected)
    {
        var decision = ChannelChooser.Choose(new ChannelAvailability(whatsApp, sms), policy, askedForSms ? ChannelKind.Sms : null);

        Assert.Equal(expected, decision.Refusal?.Reason);
        Assert.Null(decision.Refusal!.RetryAfter); // waiting does not make a channel appear
    }
}
