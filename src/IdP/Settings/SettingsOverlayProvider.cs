namespace WaIdentity.IdP.Settings;

/// <summary>
/// The configuration layer holding the portal's settings. Added last, so it wins over appsettings, the environment
/// and the command line: what an admin saves is what runs. Its data comes from <see cref="SettingsOverlayLoader"/>;
/// a change raises the reload token, and every IOptionsMonitor bound to configuration re-reads its section.
/// </summary>
internal sealed class SettingsOverlayProvider : ConfigurationProvider, IConfigurationSource
{
    private HashSet<string> _lists = new(StringComparer.OrdinalIgnoreCase);

    public IConfigurationProvider Build(IConfigurationBuilder builder) => this;

    /// <summary>Replaces the whole layer; returns false (and raises nothing) when nothing changed.</summary>
    public bool Apply(IEnumerable<KeyValuePair<EditableSetting, string?>> settings)
    {
        var next = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var lists = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (setting, value) in settings)
        {
            if (!setting.List)
            {
                next[setting.Key] = value;
                continue;
            }
            lists.Add(setting.Key);
            var items = EditableSettings.SplitList(value);
            for (var i = 0; i < items.Count; i++) next[$"{setting.Key}:{i}"] = items[i];
        }
        if (lists.SetEquals(_lists) && next.Count == Data.Count && next.All(p => Data.TryGetValue(p.Key, out var v) && v == p.Value)) return false;
        (Data, _lists) = (next, lists);
        OnReload();
        return true;
    }

    /// <summary>Whether the portal sets this key (for a list, even to the empty list).</summary>
    public bool Holds(EditableSetting setting) => setting.List ? _lists.Contains(setting.Key) : Data.ContainsKey(setting.Key);

    /// <summary>
    /// A list set in the portal replaces the configured list whole: the entries of earlier layers are dropped, so a
    /// shorter list does not keep the tail of a longer one and an empty list really is empty.
    /// </summary>
    public override IEnumerable<string> GetChildKeys(IEnumerable<string> earlierKeys, string? parentPath) =>
        parentPath is not null && _lists.Contains(parentPath)
            ? base.GetChildKeys([], parentPath)
            : base.GetChildKeys(earlierKeys, parentPath);
}

internal static class SettingsOverlayConfiguration
{
    /// <summary>Call after every other configuration source.</summary>
    public static IConfigurationBuilder AddSettingsOverlay(this IConfigurationBuilder builder) => builder.Add(new SettingsOverlayProvider());
}
