using System.Text.RegularExpressions;
using WaIdentity.IdP.Configuration;
using WaIdentity.WaChannel.Codes;

namespace WaIdentity.IdP.Login;

/// <summary>Configuration section "Login": which methods are on and the WhatsApp OTP rules.</summary>
internal sealed class LoginOptions : IValidatableOptions
{
    public const string Section = "Login";

    /// <summary>Country calling code added to national numbers (0812... becomes +62812...).</summary>
    public string DefaultCountryCode { get; set; } = "62";

    /// <summary>Show the "email and password" link on the chooser (the page itself comes with the OIDC feature).</summary>
    public bool PasswordEnabled { get; set; } = true;

    /// <summary>
    /// Let people create their own password account (/login/register, POST /api/auth/register). Only in force while
    /// <see cref="PasswordEnabled"/> is on: with the password method off nobody registers a password.
    /// </summary>
    public bool PasswordRegistration { get; set; } = true;

    /// <summary>Offer the phone form (a code sent by WhatsApp or SMS). Off: the chooser hides it and its POST is refused.</summary>
    public bool WhatsAppOtpEnabled { get; set; } = true;

    /// <summary>Offer send-code login; it also needs <see cref="SendCodeRules.BusinessNumber"/>.</summary>
    public bool SendCodeEnabled { get; set; } = true;

    /// <summary>Send-code login is switched on and has a business number to send to.</summary>
    public bool SendCodeOffered => SendCodeEnabled && SendCode.Enabled;

    /// <summary>Register a phone that has no account yet when its code is verified (phone_number_verified = true).</summary>
    public bool AutoRegister { get; set; } = true;

    public DeliveryPolicy DeliveryPolicy { get; set; } = DeliveryPolicy.WhatsAppOrSms;

    public OtpRules Otp { get; set; } = new();

    public TestNumberRules TestNumbers { get; set; } = new();

    public SendCodeRules SendCode { get; set; } = new();

    public SecondFactor.SecondFactorRules SecondFactor { get; set; } = new();

    public Password.PasswordRules Password { get; set; } = new();

    public Passkeys.PasskeyRules Passkeys { get; set; } = new();

    public IEnumerable<string> Validate(string section)
    {
        if (!Regex.IsMatch(DefaultCountryCode ?? "", "^[1-9][0-9]{0,2}$"))
            yield return $"{section}:DefaultCountryCode: must be 1 to 3 digits without '+' (got '{DefaultCountryCode}')";
        // Everyone, admins included, would be locked out; the portal refuses such a save with this message.
        if (!WhatsAppOtpEnabled && !SendCodeOffered && !PasswordEnabled)
            yield return $"{section}:WhatsAppOtpEnabled: at least one login method (phone code, send-code or password) must stay on";
        foreach (var p in Otp.Validate($"{section}:Otp")) yield return p;
        foreach (var p in TestNumbers.Validate($"{section}:TestNumbers", Otp.CodeLength)) yield return p;
        foreach (var p in SendCode.Validate($"{section}:SendCode")) yield return p;
        foreach (var p in SecondFactor.Validate($"{section}:SecondFactor")) yield return p;
        foreach (var p in Password.Validate($"{section}:Password")) yield return p;
        foreach (var p in Passkeys.Validate($"{section}:Passkeys")) yield return p;
    }
}

internal sealed class OtpRules
{
    public int CodeLength { get; set; } = 6;
    public int LifetimeSeconds { get; set; } = 600;
    /// <summary>Wrong entries before a code is dead.</summary>
    public int MaxAttempts { get; set; } = 5;
    /// <summary>First resend to a phone waits this long; each further send of the same code waits twice as long.
    /// How many codes a phone or a network may get is the channel's limit (<c>Channel:Limits</c>), not a login rule.</summary>
    public int ResendCooldownSeconds { get; set; } = 30;
    public int MaxResendCooldownSeconds { get; set; } = 600;
    /// <summary>Consecutive failures per phone across codes before login by code is refused (NIST 800-63B: at most 100).</summary>
    public int AccountFailureCap { get; set; } = 100;
    /// <summary>Failures per phone before growing delays (30 s doubling, at most an hour) start.</summary>
    public int FailuresBeforeDelay { get; set; } = 10;
    /// <summary>A phone's failure count is forgotten after this many hours without a failure.</summary>
    public int FailureResetHours { get; set; } = 24;
    public int VerifiesPerIpPerHour { get; set; } = 120;
    /// <summary>Base64 HMAC key (at least 32 bytes) for code hashes. Required outside Development.</summary>
    public string? CodeHashKey { get; set; }

    public IEnumerable<string> Validate(string s) =>
        OptionRules.InRange($"{s}:CodeLength", CodeLength, 6, 10)
            .Concat(OptionRules.InRange($"{s}:LifetimeSeconds", LifetimeSeconds, 5, 600))
            .Concat(OptionRules.InRange($"{s}:MaxAttempts", MaxAttempts, 1, 10))
            .Concat(OptionRules.InRange($"{s}:ResendCooldownSeconds", ResendCooldownSeconds, 0, 3600))
            .Concat(OptionRules.InRange($"{s}:MaxResendCooldownSeconds", MaxResendCooldownSeconds, ResendCooldownSeconds, 86400))
            .Concat(OptionRules.InRange($"{s}:AccountFailureCap", AccountFailureCap, 1, 100))
            .Concat(OptionRules.InRange($"{s}:FailuresBeforeDelay", FailuresBeforeDelay, 1, 100))
            .Concat(OptionRules.InRange($"{s}:FailureResetHours", FailureResetHours, 1, 24 * 30))
            .Concat(OptionRules.InRange($"{s}:VerifiesPerIpPerHour", VerifiesPerIpPerHour, 1, 100000))
            .Concat(KeyProblems($"{s}:CodeHashKey"));

    private IEnumerable<string> KeyProblems(string key)
    {
        if (string.IsNullOrEmpty(CodeHashKey)) yield break;
        byte[]? bytes = null;
        try { bytes = Convert.FromBase64String(CodeHashKey); } catch (FormatException) { }
        if (bytes is null || bytes.Length < 32) yield return $"{key}: must be base64 of at least 32 random bytes";
    }
}

/// <summary>Staging test numbers (Authgear's test mode): matching phones get a fixed code and nothing is delivered.</summary>
internal sealed class TestNumberRules
{
    /// <summary>Regular expression over the canonical E.164 form, e.g. "^\+62999". Empty: no test numbers.</summary>
    public string? Pattern { get; set; }
    public string? FixedCode { get; set; }

    public bool Matches(string e164) => !string.IsNullOrEmpty(Pattern) && Regex.IsMatch(e164, Pattern, RegexOptions.None, TimeSpan.FromMilliseconds(100));

    public IEnumerable<string> Validate(string s, int codeLength)
    {
        if (string.IsNullOrEmpty(Pattern)) yield break;
        string? error = null;
        try { _ = new Regex(Pattern); } catch (ArgumentException e) { error = e.Message; }
        if (error is not null) yield return $"{s}:Pattern: is not a valid regular expression ({error})";
        if (FixedCode is null || !Regex.IsMatch(FixedCode, $"^[0-9]{{{codeLength}}}$"))
            yield return $"{s}:FixedCode: must be {codeLength} digits when Pattern is set";
    }
}

/// <summary>Send-code login: the user sends a prefilled WhatsApp message with a one-time code to the business number.</summary>
internal sealed class SendCodeRules
{
    /// <summary>The business WhatsApp number in E.164 (e.g. +6281100000000). Empty: the method is not offered.</summary>
    public string? BusinessNumber { get; set; }
    /// <summary>Named in the prefilled message, so the sender sees which site the code is for.</summary>
    public string SiteName { get; set; } = "WaIdentity";
    public int LifetimeSeconds { get; set; } = 300;

    public bool Enabled => !string.IsNullOrEmpty(BusinessNumber);

    public IEnumerable<string> Validate(string s)
    {
        if (Enabled && !Regex.IsMatch(BusinessNumber!, "^\\+[1-9][0-9]{7,14}$"))
            yield return $"{s}:BusinessNumber: must be E.164 like +6281100000000 (got '{BusinessNumber}')";
        foreach (var p in OptionRules.Required($"{s}:SiteName", SiteName)) yield return p;
        foreach (var p in OptionRules.InRange($"{s}:LifetimeSeconds", LifetimeSeconds, 30, 900)) yield return p;
    }
}
