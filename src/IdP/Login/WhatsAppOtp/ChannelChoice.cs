using WaIdentity.WaChannel.Codes;

namespace WaIdentity.IdP.Login.WhatsAppOtp;

/// <summary>How one code goes out, or the resource key saying plainly why it cannot.</summary>
/// <param name="NoticeKey">Shown on the code page, e.g. "WhatsApp is not available, we sent an SMS".</param>
public sealed record ChannelChoice(DeliveryPolicy Policy, ChannelKind? Preferred, string? NoticeKey, string? ErrorKey)
{
    public string AmrChannel => Preferred == ChannelKind.Sms || Policy == DeliveryPolicy.SmsOnly ? "sms" : "wa";

    /// <summary>
    /// The configured policy against what the channel can deliver now. Never fails silently (Authgear #3842): when
    /// WhatsApp is down and SMS is allowed the code goes by SMS and the page says so; otherwise the page says why.
    /// </summary>
    public static ChannelChoice Resolve(DeliveryPolicy policy, ChannelAvailability available, bool userAskedForSms)
    {
        if (userAskedForSms || policy == DeliveryPolicy.SmsOnly)
        {
            if (policy == DeliveryPolicy.WhatsAppOnly) return Error("Login_SmsNotAllowed");
            return available.Sms ? new(policy, ChannelKind.Sms, null, null) : Error("Login_SmsUnavailable");
        }
        if (available.WhatsApp) return new(policy, null, null, null);
        if (policy == DeliveryPolicy.WhatsAppOrSms && available.Sms) return new(policy, ChannelKind.Sms, "Login_WhatsAppDownSentSms", null);
        return Error(policy == DeliveryPolicy.WhatsAppOnly ? "Login_WhatsAppUnavailable" : "Login_NoChannel");
    }

    public static bool SmsOffered(DeliveryPolicy policy, ChannelAvailability available) =>
        policy != DeliveryPolicy.WhatsAppOnly && available.Sms;

    private static ChannelChoice Error(string key) => new(DeliveryPolicy.SmsOnly, null, null, key);
}
