using WaIdentity.IdP.Configuration;

namespace WaIdentity.IdP.Login.SecondFactor;

/// <summary>When a second factor is asked at login, for everyone.</summary>
internal enum SecondFactorRequirement
{
    /// <summary>Only when a client requires it or the authorize request asks for acr loa:2.</summary>
    Off,
    /// <summary>Also for every user who has enrolled an authenticator app.</summary>
    Optional,
    /// <summary>For every login; users with no second factor are sent to enrolment.</summary>
    Required,
}

/// <summary>Configuration section "Login:SecondFactor".</summary>
internal sealed class SecondFactorRules
{
    /// <summary>Off, Optional or Required (a string, so a typo is a clear start-up error, not a binder exception).</summary>
    public string Required { get; set; } = nameof(SecondFactorRequirement.Optional);

    public SecondFactorRequirement Requirement =>
        Enum.TryParse<SecondFactorRequirement>(Required, ignoreCase: true, out var r) ? r : SecondFactorRequirement.Optional;
    /// <summary>How long "remember this device" skips the second step; 0 hides the option.</summary>
    public int RememberDeviceDays { get; set; } = 30;
    /// <summary>The issuer label authenticator apps show next to the account.</summary>
    public string IssuerName { get; set; } = "WaIdentity";
    /// <summary>How long a re-authentication lets the account pages change the phone or second factors.</summary>
    public int ReauthenticationMinutes { get; set; } = 5;
    /// <summary>Second-factor codes (authenticator or recovery) a user may try per 15 minutes.</summary>
    public int VerifiesPerUserPer15Minutes { get; set; } = 10;

    public IEnumerable<string> Validate(string s) =>
        OptionRules.OneOf($"{s}:Required", Required, Enum.GetNames<SecondFactorRequirement>())
            .Concat(OptionRules.InRange($"{s}:RememberDeviceDays", RememberDeviceDays, 0, 90))
            .Concat(OptionRules.Required($"{s}:IssuerName", IssuerName))
            .Concat(IssuerName?.Contains(':') == true ? [$"{s}:IssuerName: must not contain ':' (it separates issuer and account in otpauth URIs)"] : [])
            .Concat(OptionRules.InRange($"{s}:ReauthenticationMinutes", ReauthenticationMinutes, 1, 60))
            .Concat(OptionRules.InRange($"{s}:VerifiesPerUserPer15Minutes", VerifiesPerUserPer15Minutes, 1, 100));
}
