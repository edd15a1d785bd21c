using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Localization;
using WaIdentity.Admin.Audit;
using WaIdentity.Admin.Settings;
using WaIdentity.Admin.Users;
using WaIdentity.WaChannel.Codes;
using static WaIdentity.Admin.Settings.SettingFieldKind;

namespace WaIdentity.Admin.Pages.Admin.LoginMethods;

/// <summary>Which login methods are offered and their rules (Authgear's "Login methods"), applied without a restart.</summary>
[Authorize(Policy = AdminPolicy.Name)]
public sealed class IndexModel(ISettingsStore store, IAuditLog audit, IStringLocalizer<AdminText> text, IUserDirectory users)
    : SettingsPageModel(store, audit, text)
{
    private const string Password = "Login:PasswordEnabled", Otp = "Login:WhatsAppOtpEnabled", SendCode = "Login:SendCodeEnabled";

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
            new("Login:Otp:CodeLength", Number, "LoginMethods_CodeLength", Min: 6, Max: 10),
            new("Login:Otp:LifetimeSeconds", Number, "LoginMethods_Lifetime", Min: 60, Max: 600),
            new("Login:Otp:MaxAttempts", Number, "LoginMethods_MaxAttempts", Min: 1, Max: 10),
            new("Login:Otp:ResendCooldownSeconds", Number, "LoginMethods_ResendCooldown", Min: 10, Max: 600),
        ]),
        new("LoginMethods_Limits",
        [
            new("Channel:Limits:PerPhonePerHour", Number, "LoginMethods_PerPhone", Min: 1, Max: 100),
            new("Channel:Limits:PerIpPerHour", Number, "LoginMethods_PerIp", Min: 1, Max: 100_000),
            new("Channel:Limits:PerCountryPerHour", Number, "LoginMethods_PerCountry", Min: 1, Max: 10_000_000),
            new("Channel:Limits:DailyBudget", Number, "LoginMethods_DailyBudget", Min: 1, Max: 100_000_000),
            new("Channel:Limits:AllowedCountryCodes", List, "LoginMethods_Countries", Hint: "LoginMethods_CountriesHint"),
        ]),
        new("LoginMethods_SecondFactor",
        [
            // The IdP's SecondFactorRequirement names; Admin does not reference the IdP, and the save validates them.
            new("Login:SecondFactor:Required", Choice, "LoginMethods_SecondFactorRequired", ["Off", "Optional", "Required"]),
            new("Login:SecondFactor:RememberDeviceDays", Number, "LoginMethods_RememberDeviceDays", Min: 0, Max: 90),
        ]),
    ];

    private const string BusinessNumberKey = "Login:SendCode:BusinessNumber";

    public override IReadOnlyList<SettingFieldGroup> Groups => Form;

    /// <summary>
    /// Refuses a change after which no admin could sign in to this portal, when one could before: the methods left on
    /// must include one an admin can use (a password, or a verified phone for the phone methods). The message goes
    /// next to the switch being turned off.
    /// </summary>
    protected override async Task<IEnumerable<(string Key, string Problem)>> RefuseAsync(IReadOnlyDictionary<string, string?> after, CancellationToken ct)
    {
        var paths = await users.AdminSignInPathsAsync(ct);
        bool CanSignIn(Func<string, bool> on) => (on(Password) && paths.WithPassword > 0) || ((on(Otp) || on(SendCode)) && paths.WithPhone > 0);
        bool OnNow(string key) => IsTrue(Current(key));
        bool OnAfter(string key) => IsTrue(after.GetValueOrDefault(key));
        if (!CanSignIn(OnNow) || CanSignIn(OnAfter)) return [];
        var turnedOff = new[] { Password, Otp, SendCode }.Where(k => OnNow(k) && !OnAfter(k)).DefaultIfEmpty(Password);
        var usable = string.Join(Strings["List_Or"], new[]
        {
            paths.WithPassword > 0 ? $"“{Strings["LoginMethods_Password"].Value}”" : null,
            paths.WithPhone > 0 ? $"“{Strings["LoginMethods_WhatsAppOtp"].Value}”" : null,
        }.OfType<string>());
        return turnedOff.Select(k => (k, Strings["LoginMethods_AdminLockout", usable].Value));
    }

    private static bool IsTrue(string? value) => string.Equals(value, "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Send-code login is switched on but cannot be offered: people would not see it, so the page says why.</summary>
    public bool SendCodeInactive =>
        string.Equals(Values.GetValueOrDefault("Login:SendCodeEnabled")?.Value, "true", StringComparison.OrdinalIgnoreCase)
        && Values.GetValueOrDefault(BusinessNumberKey)?.IsSet != true;

    protected override string AuditAction => "settings.login-methods";
}
