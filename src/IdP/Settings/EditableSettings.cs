using WaIdentity.IdP.Login;
using WaIdentity.WaChannel.Configuration;

namespace WaIdentity.IdP.Settings;

/// <param name="Secret">Stored encrypted and never shown back.</param>
/// <param name="List">A list option, edited as comma-separated text and stored as one row.</param>
public sealed record EditableSetting(string Key, bool Secret = false, bool List = false)
{
    public string Section => Key[..Key.IndexOf(':')];
}

/// <summary>
/// The configuration keys the portal may override: an allow-list, so a forged form cannot set anything else
/// (database connection, signing keys, proxies). Each must be read through IOptionsMonitor to apply without a restart.
/// </summary>
public static class EditableSettings
{
    private const string L = LoginOptions.Section, C = ChannelOptions.Section, G = Gateway.GatewayOptions.Section;

    public static readonly IReadOnlyList<EditableSetting> All =
    [
        new($"{L}:WhatsAppOtpEnabled"), new($"{L}:SendCodeEnabled"), new($"{L}:SendCode:BusinessNumber"), new($"{L}:PasswordEnabled"), new($"{L}:PasswordRegistration"),
        new($"{L}:DeliveryPolicy"), new($"{L}:AutoRegister"), new($"{L}:DefaultCountryCode"),
        new($"{L}:Otp:CodeLength"), new($"{L}:Otp:LifetimeSeconds"), new($"{L}:Otp:MaxAttempts"),
        new($"{L}:Otp:ResendCooldownSeconds"), new($"{L}:SecondFactor:Required"), new($"{L}:SecondFactor:RememberDeviceDays"),
        new($"{C}:Limits:PerPhonePerHour"), new($"{C}:Limits:PerIpPerHour"), new($"{C}:Limits:PerCountryPerHour"),
        new($"{C}:Limits:DailyBudget"), new($"{C}:Limits:AllowedCountryCodes", List: true),
        new($"{G}:SelfService:Enabled"), new($"{G}:SelfService:RequireApproval"),
        new($"{C}:WhatsApp:PhoneNumberId"), new($"{C}:WhatsApp:BusinessAccountId"), new($"{C}:WhatsApp:AccessToken", Secret: true), new($"{C}:WhatsApp:AppSecret", Secret: true),
    ];

    private static readonly Dictionary<string, EditableSetting> ByKey = All.ToDictionary(s => s.Key, StringComparer.OrdinalIgnoreCase);

    public static EditableSetting? Find(string key) => ByKey.GetValueOrDefault(key);

    public static IReadOnlyList<string> SplitList(string? value) =>
        (value ?? "").Split([',', ' ', '\n', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
