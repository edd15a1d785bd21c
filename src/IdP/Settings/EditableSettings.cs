using WaIdentity.Admin.Settings;
using WaIdentity.IdP.Login;
using WaIdentity.IdP.Login.SecondFactor;
using WaIdentity.WaChannel.Codes;
using WaIdentity.WaChannel.Configuration;
using static WaIdentity.Admin.Settings.SettingFieldKind;

namespace WaIdentity.IdP.Settings;

/// <param name="Secret">Stored encrypted and never shown back.</param>
/// <param name="List">A list option, edited as comma-separated text and stored as one row.</param>
internal sealed record EditableSetting(string Key, bool Secret = false, bool List = false)
{
    public string Section => Key[..Key.IndexOf(':')];
}

/// <summary>
/// The configuration keys the portal may override, declared once: the portal renders its pages from
/// <see cref="Groups"/>, and the same list is the allow-list the settings store accepts, so a forged form cannot set
/// anything else (database connection, signing keys, proxies). Each must be read through IOptionsMonitor to apply
/// without a restart. Labels, hints and choice labels are the portal's AdminText keys.
/// </summary>
internal static class EditableSettings
{
    private const string L = LoginOptions.Section, C = ChannelOptions.Section, G = Gateway.GatewayOptions.Section;

    public static readonly IReadOnlyList<SettingFieldGroup> Groups =
    [
        new(SettingsPage.LoginMethods, "LoginMethods_Methods",
        [
            new($"{L}:WhatsAppOtpEnabled", Switch, "LoginMethods_WhatsAppOtp"),
            new($"{L}:SendCodeEnabled", Switch, "LoginMethods_SendCode", Hint: "LoginMethods_SendCodeHint"),
            new($"{L}:SendCode:BusinessNumber", Text, "LoginMethods_BusinessNumber", Hint: "LoginMethods_BusinessNumberHint"),
            new($"{L}:PasswordEnabled", Switch, "LoginMethods_Password"),
            new($"{L}:PasswordRegistration", Switch, "LoginMethods_PasswordRegistration", Hint: "LoginMethods_PasswordRegistrationHint"),
            new($"{L}:AutoRegister", Switch, "LoginMethods_AutoRegister"),
        ]),
        new(SettingsPage.LoginMethods, "LoginMethods_Phone",
        [
            SettingField.Choice<DeliveryPolicy>($"{L}:DeliveryPolicy", "LoginMethods_DeliveryPolicy"),
            new($"{L}:DefaultCountryCode", Text, "LoginMethods_DefaultCountry", Hint: "LoginMethods_DefaultCountryHint"),
        ]),
        new(SettingsPage.LoginMethods, "LoginMethods_Otp",
        [
            new($"{L}:Otp:CodeLength", Number, "LoginMethods_CodeLength", Min: 6, Max: 10),
            new($"{L}:Otp:LifetimeSeconds", Number, "LoginMethods_Lifetime", Min: 60, Max: 600),
            new($"{L}:Otp:MaxAttempts", Number, "LoginMethods_MaxAttempts", Min: 1, Max: 10),
            new($"{L}:Otp:ResendCooldownSeconds", Number, "LoginMethods_ResendCooldown", Min: 10, Max: 600),
        ]),
        new(SettingsPage.LoginMethods, "LoginMethods_Limits",
        [
            new($"{C}:Limits:PerPhonePerHour", Number, "LoginMethods_PerPhone", Min: 1, Max: 100),
            new($"{C}:Limits:PerIpPerHour", Number, "LoginMethods_PerIp", Min: 1, Max: 100_000),
            new($"{C}:Limits:PerCountryPerHour", Number, "LoginMethods_PerCountry", Min: 1, Max: 10_000_000),
            new($"{C}:Limits:DailyBudget", Number, "LoginMethods_DailyBudget", Min: 1, Max: 100_000_000),
            new($"{C}:Limits:AllowedCountryCodes", List, "LoginMethods_Countries", Hint: "LoginMethods_CountriesHint"),
        ]),
        new(SettingsPage.LoginMethods, "LoginMethods_SecondFactor",
        [
            SettingField.Choice<SecondFactorRequirement>($"{L}:SecondFactor:Required", "LoginMethods_SecondFactorRequired"),
            new($"{L}:SecondFactor:RememberDeviceDays", Number, "LoginMethods_RememberDeviceDays", Min: 0, Max: 90),
        ]),
        new(SettingsPage.Apps, "Apps_SelfService",
        [
            new($"{G}:SelfService:Enabled", Switch, "Apps_Enabled", Hint: "Apps_EnabledHint"),
            new($"{G}:SelfService:RequireApproval", Switch, "Apps_RequireApproval", Hint: "Apps_RequireApprovalHint"),
        ]),
        new(SettingsPage.WhatsApp, "WhatsApp_CloudApi",
        [
            new($"{C}:WhatsApp:PhoneNumberId", Text, "WhatsApp_PhoneNumberId"),
            new($"{C}:WhatsApp:BusinessAccountId", Text, "WhatsApp_BusinessAccountId"),
            new($"{C}:WhatsApp:AccessToken", Secret, "WhatsApp_AccessToken"),
            new($"{C}:WhatsApp:AppSecret", Secret, "WhatsApp_AppSecret", Hint: "WhatsApp_AppSecretHint"),
        ], Note: "WhatsApp_CloudApiNote"),
    ];

    public static readonly IReadOnlyList<EditableSetting> All =
        Groups.SelectMany(g => g.Fields).Select(f => new EditableSetting(f.Key, Secret: f.Kind == Secret, List: f.Kind == SettingFieldKind.List)).ToList();

    private static readonly Dictionary<string, EditableSetting> ByKey = All.ToDictionary(s => s.Key, StringComparer.OrdinalIgnoreCase);

    public static EditableSetting? Find(string key) => ByKey.GetValueOrDefault(key);

    public static IReadOnlyList<string> SplitList(string? value) =>
        (value ?? "").Split([',', ' ', '\n', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
