namespace WaIdentity.IdP.Login.WhatsAppOtp;

/// <param name="ErrorKey">Resource key of the message to show when nothing was sent.</param>
/// <param name="Wait">For cooldowns and rate limits: how long until asking again works.</param>
public sealed record CodeRequestOutcome(bool Sent, string? ErrorKey = null, TimeSpan? Wait = null, string? NoticeKey = null)
{
    public static CodeRequestOutcome Refused(string key, TimeSpan? wait = null) => new(false, key, wait);
}
