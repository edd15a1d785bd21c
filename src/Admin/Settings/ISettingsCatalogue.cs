namespace WaIdentity.Admin.Settings;

/// <summary>
/// The settings the portal may change, declared once by the host (which knows the options and enum types behind
/// them) with what a page needs to render each field. The same list is the host's allow-list for
/// <see cref="ISettingsStore"/>.
/// </summary>
public interface ISettingsCatalogue
{
    IReadOnlyList<SettingFieldGroup> Groups { get; }
}
