using Microsoft.Extensions.Localization;
using WaIdentity.IdP.Login.Passkeys;
using WaIdentity.IdP.Login.SecondFactor;
using WaIdentity.IdP.Login.WhatsAppOtp;
using WaIdentity.WaChannel.Codes;

namespace WaIdentity.IdP.Login;

/// <summary>Turns a login outcome's resource key and numbers into the sentence a person reads; the one place the pages
/// word a code request's outcome and the channel's refusals.</summary>
internal static class LoginMessages
{
    public static string Describe(IStringLocalizer t, string key, TimeSpan? wait = null, int? count = null)
    {
        var n = key switch
        {
            "Login_TooManyCodes" or "Login_TooManyTries" => Math.Max(1, (int)Math.Ceiling((wait ?? TimeSpan.Zero).TotalMinutes)),
            "Password_TooManyTries" => Math.Max(1, (int)Math.Ceiling((wait ?? TimeSpan.Zero).TotalMinutes)),
            "Login_ResendWait" or "Login_FailureWait" => Math.Max(1, (int)Math.Ceiling((wait ?? TimeSpan.Zero).TotalSeconds)),
            _ => count,
        };
        if (n is null) return t[key];
        // A sentence whose noun changes for one ("1 attempt left") has a key of its own; every language has that key.
        if (n == 1 && t[key + "_One"] is { ResourceNotFound: false } one) return one;
        return t[key, n];
    }

    /// <summary>What a page says for a refused code; the digit count fills the format sentence.</summary>
    public static string Describe(IStringLocalizer t, VerifyOutcome refused, int codeLength) => refused.Failure switch
    {
        CodeFailure.Format => t[Key(CodeFailure.Format), codeLength],
        { } failure => Describe(t, Key(failure), refused.Wait, refused.AttemptsLeft),
        null => throw new ArgumentException("The code was accepted.", nameof(refused)),
    };

    /// <summary>The resource key of a refused code's sentence; also the outcome label of the login metrics.</summary>
    public static string Key(CodeFailure failure) => failure switch
    {
        CodeFailure.Format => "Login_CodeFormat",
        CodeFailure.TooManyTries => "Login_TooManyTries",
        CodeFailure.PhoneLocked => "Login_PhoneLocked",
        CodeFailure.FailureWait => "Login_FailureWait",
        CodeFailure.Used => "Login_CodeUsed",
        CodeFailure.Dead => "Login_CodeDead",
        CodeFailure.NoCode => "Login_NoCode",
        CodeFailure.Expired => "Login_CodeExpired",
        CodeFailure.Wrong => "Login_CodeWrong",
        _ => throw new ArgumentOutOfRangeException(nameof(failure), failure, null),
    };

    /// <summary>What the second-factor page says for a refused factor; a throttle says how long to wait.</summary>
    public static string Describe(IStringLocalizer t, FactorOutcome refused) => refused.Failure switch
    {
        FactorFailure.Passkey => Describe(t, refused.Passkey ?? PasskeyFailure.Failed),
        FactorFailure.CodeFormat => t["Mfa_CodeFormat"],
        FactorFailure.CodeWrong => t["Mfa_CodeWrong"],
        FactorFailure.RecoveryWrong => t["Mfa_RecoveryWrong"],
        FactorFailure.TooManyTries => t["Mfa_TooManyTries"],
        FactorFailure.PasswordThrottled => Describe(t, "Password_TooManyTries", refused.Wait),
        FactorFailure.PasswordWrong => t["Password_PasswordFailed"],
        _ => throw new ArgumentException("The factor was accepted.", nameof(refused)),
    };

    /// <summary>Why a passkey ceremony failed, in the pages' words.</summary>
    public static string Describe(IStringLocalizer t, PasskeyFailure failure) => t[failure switch
    {
        PasskeyFailure.Unavailable => "Passkey_Unavailable",
        PasskeyFailure.Expired => "Passkey_Expired",
        PasskeyFailure.Unknown => "Passkey_Unknown",
        PasskeyFailure.Counter => "Passkey_Counter",
        _ => "Passkey_Failed",
    }];

    /// <summary>Why no code was sent: the resend cooldown in seconds, or the channel's refusal.</summary>
    public static string Describe(IStringLocalizer t, CodeRequestOutcome refused) =>
        refused.Refusal is { } refusal ? Describe(t, refusal) : Describe(t, "Login_ResendWait", refused.ResendWait);

    /// <summary>The channel's refusal in the pages' words; a limit says how long to wait. The toll-fraud rules answer
    /// alike, so a prober does not learn which one a number met.</summary>
    public static string Describe(IStringLocalizer t, SendRefusal refusal) => refusal switch
    {
        { RetryAfter: { } wait } => Describe(t, "Login_TooManyCodes", wait),
        { NumberNotAllowed: true } => t["Login_CountryNotAllowed"],
        { Reason: SendRefusalReason.SmsNotAllowed } => t["Login_SmsNotAllowed"],
        { Reason: SendRefusalReason.SmsUnavailable } => t["Login_SmsUnavailable"],
        { Reason: SendRefusalReason.WhatsAppUnavailable } => t["Login_WhatsAppUnavailable"],
        { NoChannel: true } => t["Login_NoChannel"],
        _ => t["Login_SendRefused"],
    };

    /// <summary>The resource key of what a sent code's page says, or null when nothing is worth saying.</summary>
    public static string? NoticeKey(CodeNotice notice) => notice switch
    {
        CodeNotice.SmsInstead => "Login_WhatsAppDownSentSms",
        CodeNotice.AlreadySent => "Login_CodeAlreadySent",
        CodeNotice.Resent => "Login_CodeResent",
        CodeNotice.ResentSms => "Login_CodeResentSms",
        _ => null,
    };
}
