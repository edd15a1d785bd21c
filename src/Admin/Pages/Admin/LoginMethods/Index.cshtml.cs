using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Localization;
using WaIdentity.Admin.Audit;
using WaIdentity.Admin.Settings;
using WaIdentity.WaChannel.Codes;
using static WaIdentity.Admin.Settings.SettingFieldKind;

namespace WaIdentity.Admin.Pages.Admin.LoginMethods;

/// <summary>Which login methods are offered and their rules (Authgear's "Login methods"), applied without a restart.</summary>
[Authorize(Policy = AdminPolicy.Name)]
public sealed class IndexModel(ISettingsStore store, IAuditLog audit, IStringLocalizer<AdminText> text)
    : SettingsPageModel(store, audit, text)
{
    private static readonly IReadOnlyList<SettingFieldGroup> Form =
    [
        new("LoginMethods_Methods",
        [
            new("Login:WhatsAppOtpEnabled", Switch, "LoginMethods_WhatsAppOtp"),
            new("Login:SendCodeEnabled", Switch, "LoginMethods_SendCode", Hint: "LoginMethods_SendCodeHint"),
            new(BusinessNumberKey, Text, "LoginMethods_BusinessNumber", Hint: "LoginMethods_BusinessNumberHint"),
            new("Login:PasswordEnabled", Switch, "LoginMethods_Password"),
            new("Login:PasswordRegistration", Switch, "LoginMethods_PasswordRegistration", Hint: "LoginMethods_PasswordRegistrationHint"),
            new("Login:AutoRegister", Switch, "LoginMethods_AutoRegister"),
        ]),
        new("LoginMethods_Phone",
        [
            new("Login:DeliveryPolicy", Choice, "LoginMethods_DeliveryPolicy", Enum.GetNames<DeliveryPolicy>()),
            new("Login:DefaultCountryCode", Text, "LoginMethods_DefaultCountry", Hint: "LoginMethods_DefaultCountryHint"),
        ]),
        new("LoginMethods_Otp",
        [
            new("Login:Otp:CodeLength", Number, "LoginMethods_CodeLength"),
            new("Login:Otp:LifetimeSeconds", Number, "LoginMethods_Lifetime"),
            new("Login:Otp:MaxAttempts", Number, "LoginMethods_MaxAttempts"),
            new("Login:Otp:ResendCooldownSeconds", Number, "LoginMethods_ResendCooldown"),
        ]),
        new("LoginMethods_Limits",
        [
            new("Channel:Limits:PerPhonePerHour", Number, "LoginMethods_PerPhone"),
            new("Channel:Limits:PerIpPerHour", Number, "LoginMethods_PerIp"),
            new("Channel:Limits:PerCountryPerHour", Number, "LoginMethods_PerCountry"),
            new("Channel:Limits:DailyBudget", Number, "LoginMethods_DailyBudget"),
            new("Channel:Limits:AllowedCountryCodes", List, "LoginMethods_Countries", Hint: "LoginMethods_CountriesHint"),
        ]),
        new("LoginMethods_SecondFactor",
        [
            // The IdP's SecondFactorRequirement names; Admin does not reference the IdP, and the save validates them.
            new("Login:SecondFactor:Required", Choice, "LoginMethods_SecondFactorRequired", ["Off", "Optional", "Required"]),
            new("Login:SecondFactor:RememberDeviceDays", Number, "LoginMethods_RememberDeviceDays"),
        ]),
    ];

    private const string BusinessNumberKey = "Login:SendCode:BusinessNumber";

    public override IReadOnlyList<SettingFieldGroup> Groups => Form;

    /// <summary>Send-code login is switched on but cannot be offered: people would not see it, so the page says why.</summary>
    public bool SendCodeInactive =>
        string.Equals(Values.GetValueOrDefault("Login:SendCodeEnabled")?.Value, "true", StringComparison.OrdinalIgnoreCase)
        && Values.GetValueOrDefault(BusinessNumberKey)?.IsSet != true;
    protected override string AuditAction => "settings.login-methods";
}
