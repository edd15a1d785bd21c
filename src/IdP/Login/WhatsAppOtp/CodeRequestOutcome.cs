using WaIdentity.WaChannel.Codes;

namespace WaIdentity.IdP.Login.WhatsAppOtp;

/// <summary>What a code request came to: sent (with something worth telling), or refused by the resend cooldown or by
/// the channel. The pages turn it into words (<see cref="LoginMessages"/>).</summary>
/// <param name="ResendWait">The phone's resend cooldown: how long until asking again works.</param>
/// <param name="Refusal">The channel's refusal: no channel, a number it may not send to, or a send limit with its wait.</param>
internal sealed record CodeRequestOutcome(bool Sent, CodeNotice Notice = CodeNotice.None, TimeSpan? ResendWait = null, SendRefusal? Refusal = null)
{
    /// <summary>How long until asking again works, when waiting is what helps.</summary>
    public TimeSpan? Wait => ResendWait ?? Refusal?.RetryAfter;
}

/// <summary>SmsInstead: WhatsApp cannot deliver now, so the code went by SMS. AlreadySent: a code sent moments ago still works.</summary>
internal enum CodeNotice { None, SmsInstead, AlreadySent, Resent, ResentSms }
