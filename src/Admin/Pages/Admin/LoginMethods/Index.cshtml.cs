using Microsoft.Extensions.Localization;
using WaIdentity.Admin.Audit;
using WaIdentity.Admin.Settings;
using WaIdentity.Admin.Users;

namespace WaIdentity.Admin.Pages.Admin.LoginMethods;

/// <summary>Which login methods are offered and their rules (Authgear's "Login methods"), applied without a restart.</summary>
internal sealed class IndexModel(ISettingsStore store, ISettingsCatalogue catalogue, IAuditLog audit, IStringLocalizer<AdminText> text, IUserDirectory users)
    : SettingsPageModel(store, catalogue, audit, text)
{
    private const string Password = "Login:PasswordEnabled", Otp = "Login:WhatsAppOtpEnabled", SendCode = "Login:SendCodeEnabled";
    private const string BusinessNumberKey = "Login:SendCode:BusinessNumber";

    protected override SettingsPage Shows => SettingsPage.LoginMethods;

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
        string.Equals(Values.GetValueOrDefault(SendCode)?.Value, "true", StringComparison.OrdinalIgnoreCase)
        && Values.GetValueOrDefault(BusinessNumberKey)?.IsSet != true;

    protected override string AuditAction => "settings.login-methods";
}
