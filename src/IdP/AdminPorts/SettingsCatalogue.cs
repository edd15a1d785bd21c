using WaIdentity.Admin.Settings;
using WaIdentity.IdP.Settings;

namespace WaIdentity.IdP.AdminPorts;

/// <summary>The portal's settings pages render <see cref="EditableSettings"/>, the list the settings store accepts.</summary>
internal sealed class SettingsCatalogue : ISettingsCatalogue
{
    public IReadOnlyList<SettingFieldGroup> Groups => EditableSettings.Groups;
}
