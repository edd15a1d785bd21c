namespace WaIdentity.Admin.Settings;

/// <summary>
/// Configuration keys the portal may change at run time (an overlay over appsettings and the environment). A port:
/// the host validates, stores (secrets encrypted) and applies the values on every node.
/// </summary>
public interface ISettingsStore
{
    /// <summary>The values in force. A secret's value never comes back: only whether it is set.</summary>
    IReadOnlyDictionary<string, SettingValue> Read(IEnumerable<string> keys);

    /// <summary>
    /// Saves the values that differ from those in force, after validating the options they would produce; nothing is
    /// saved when a rule fails. Lists are comma-separated; an empty secret means "keep the current one".
    /// </summary>
    Task<SettingsSaveResult> SaveAsync(IReadOnlyDictionary<string, string?> values, string actorId, CancellationToken ct = default);

    /// <summary>Drops the portal's value of <paramref name="key"/>, so appsettings, the environment or the built-in default applies again.</summary>
    Task<SettingsSaveResult> ResetAsync(string key, string actorId, CancellationToken ct = default);
}

/// <param name="FromPortal">Set in the portal (overrides files and environment), rather than from configuration.</param>
/// <param name="Default">What applies without the portal's value (files, environment, built-in default); null for a secret.</param>
public sealed record SettingValue(string? Value, bool IsSet, bool FromPortal, string? Default = null);

/// <param name="Problems">What the options' own rules refused; each names the setting's key (the page's field), or none
/// when the rule concerns the form as a whole.</param>
/// <param name="Before">The changed keys before, secrets as "(set)"/null, for the audit log.</param>
public sealed record SettingsSaveResult(IReadOnlyList<FieldProblem> Problems, IReadOnlyDictionary<string, string?> Before, IReadOnlyDictionary<string, string?> After)
{
    public bool Saved => Problems.Count == 0;
}
