using WaIdentity.IdP.Configuration;

namespace WaIdentity.IdP.Settings;

/// <summary>Configuration section "Settings": how the portal's settings reach every node.</summary>
internal sealed class SettingsOptions : IValidatableOptions
{
    public const string Section = "Settings";

    /// <summary>How often each node re-reads the settings table, so a change saved on another node applies here too.</summary>
    public int PollSeconds { get; set; } = 5;

    public IEnumerable<string> Validate(string section) => OptionRules.InRange($"{section}:PollSeconds", PollSeconds, 1, 3600);
}
