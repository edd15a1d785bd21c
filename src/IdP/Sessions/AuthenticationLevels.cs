namespace WaIdentity.IdP.Sessions;

/// <summary>
/// The acr values a session can reach, and the amr values (RFC 8176) login methods record. The ID token's acr and amr
/// say what really happened; <c>acr_values=urn:waidentity:loa:2</c> asks for a second factor (step-up).
/// </summary>
internal static class AuthenticationLevels
{
    public const string OneFactor = "urn:waidentity:loa:1";
    public const string TwoFactors = "urn:waidentity:loa:2";

    public static readonly IReadOnlyList<string> Supported = [OneFactor, TwoFactors];

    public const string AmrPassword = "pwd";
    public const string AmrOtp = "otp";
    public const string AmrSms = "sms";
    /// <summary>Not in RFC 8176: a code delivered by, or sent from, WhatsApp.</summary>
    public const string AmrWhatsApp = "wa";
    public const string AmrMultiFactor = "mfa";
    /// <summary>A passkey bound to its authenticator (not backup eligible).</summary>
    public const string AmrHardwareKey = "hwk";
    /// <summary>A passkey that may be synced between devices (backup eligible).</summary>
    public const string AmrSoftwareKey = "swk";
    /// <summary>RFC 8176 "user": the authenticator tested for the user; here set only when it verified them (PIN or biometric).</summary>
    public const string AmrUserPresence = "user";
}
