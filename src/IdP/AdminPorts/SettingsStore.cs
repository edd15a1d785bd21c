using Microsoft.EntityFrameworkCore;
using WaIdentity.Admin;
using WaIdentity.Admin.Settings;
using WaIdentity.IdP.Persistence;
using WaIdentity.IdP.Settings;

namespace WaIdentity.IdP.AdminPorts;

/// <summary>The portal's settings over the overlay table: validate the would-be options, store, reload this node now.</summary>
internal sealed class SettingsStore(
    IConfiguration configuration,
    IdpDbContext db,
    SettingsProtector protector,
    SettingsSections sections,
    SettingsOverlayLoader loader,
    SettingsOverlayProvider overlay,
    TimeProvider clock) : ISettingsStore
{
    private const string SecretMask = "(set)";

    public IReadOnlyDictionary<string, SettingValue> Read(IEnumerable<string> keys)
    {
        var settings = keys.Distinct().Select(Editable).ToList();
        var withoutPortal = settings.Any(s => overlay.Holds(s)) ? WithoutPortal(settings.Select(s => s.Section)) : null;
        return settings.ToDictionary(s => s.Key, s => Describe(s) with
        {
            Default = s.Secret ? null : sections.ValueOf(withoutPortal ?? configuration, s),
        });
    }

    public async Task<SettingsSaveResult> ResetAsync(string key, string actorId, CancellationToken ct = default)
    {
        var setting = EditableSettings.Find(key);
        if (setting is null) return new([NotEditable(key)], Empty, Empty);
        if (!overlay.Holds(setting)) return new([], Empty, Empty);
        var before = new Dictionary<string, string?> { [setting.Key] = Shown(setting, Describe(setting)) };
        await db.Set<SettingRow>().Where(r => r.Key == setting.Key).ExecuteDeleteAsync(ct);
        await loader.ReloadAsync(ct);
        return new([], before, new Dictionary<string, string?> { [setting.Key] = Shown(setting, Describe(setting)) });
    }

    /// <summary>
    /// The configuration of these sections as every layer but the portal's gives it (later layers win, as in the
    /// app's own configuration), to show what a reset would bring back.
    /// </summary>
    private IConfiguration WithoutPortal(IEnumerable<string> sectionNames)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (configuration is not IConfigurationRoot root) return configuration;
        foreach (var provider in root.Providers.Where(p => p is not SettingsOverlayProvider))
            foreach (var key in sectionNames.Distinct(StringComparer.OrdinalIgnoreCase).SelectMany(n => KeysBelow(provider, n)))
                if (provider.TryGet(key, out var value)) values[key] = value;
        return new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }

    private static IEnumerable<string> KeysBelow(IConfigurationProvider provider, string parent)
    {
        foreach (var child in provider.GetChildKeys([], parent).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var path = parent + ":" + child;
            yield return path;
            foreach (var below in KeysBelow(provider, path)) yield return below;
        }
    }

    public async Task<SettingsSaveResult> SaveAsync(IReadOnlyDictionary<string, string?> values, string actorId, CancellationToken ct = default)
    {
        var unknown = values.Keys.Where(k => EditableSettings.Find(k) is null).Select(NotEditable).ToList();
        if (unknown.Count > 0) return new(unknown, Empty, Empty);
        var changes = Changes(values);
        if (changes.Count == 0) return new([], Empty, Empty);

        var changed = new SettingsOverlayProvider();
        changed.Apply(changes.Select(c => new KeyValuePair<EditableSetting, string?>(c.Setting, c.Value)));
        // Disposed: a root chained onto the app's configuration subscribes to its reload token.
        var candidate = new ConfigurationBuilder().AddConfiguration(configuration).Add(changed).Build();
        IReadOnlyList<FieldProblem> problems;
        using (candidate as IDisposable) problems = sections.Problems(candidate, changes.Select(c => c.Setting.Section));
        if (problems.Count > 0) return new(problems, Empty, Empty);

        var before = changes.ToDictionary(c => c.Setting.Key, c => Shown(c.Setting, Describe(c.Setting)));
        await StoreAsync(changes, actorId, ct);
        await loader.ReloadAsync(ct);
        var after = changes.ToDictionary(c => c.Setting.Key, c => Shown(c.Setting, Describe(c.Setting)));
        return new([], before, after);
    }

    private static readonly IReadOnlyDictionary<string, string?> Empty = new Dictionary<string, string?>();

    private static FieldProblem NotEditable(string key) => new(key, "cannot be changed in the portal");

    private sealed record Change(EditableSetting Setting, string? Value);

    /// <summary>Only what differs from the value in force; an empty secret keeps the stored one.</summary>
    private List<Change> Changes(IReadOnlyDictionary<string, string?> values) =>
        values.Select(v => new Change(EditableSettings.Find(v.Key)!, Normalise(EditableSettings.Find(v.Key)!, v.Value)))
            .Where(c => c.Setting.Secret
                ? !string.IsNullOrEmpty(c.Value)
                : !string.Equals(c.Value, Describe(c.Setting).Value, StringComparison.OrdinalIgnoreCase))
            .ToList();

    private static string? Normalise(EditableSetting setting, string? value) =>
        setting.List ? string.Join(",", EditableSettings.SplitList(value)) : value?.Trim();

    private async Task StoreAsync(List<Change> changes, string actorId, CancellationToken ct)
    {
        var keys = changes.Select(c => c.Setting.Key).ToList();
        var rows = await db.Set<SettingRow>().Where(r => keys.Contains(r.Key)).ToDictionaryAsync(r => r.Key, StringComparer.OrdinalIgnoreCase, ct);
        foreach (var change in changes)
        {
            if (!rows.TryGetValue(change.Setting.Key, out var row))
                db.Set<SettingRow>().Add(row = new SettingRow { Key = change.Setting.Key });
            row.Value = change.Setting.Secret && change.Value is not null ? protector.Protect(change.Value) : change.Value;
            row.UpdatedAt = clock.GetUtcNow();
            row.UpdatedBy = actorId;
        }
        await db.SaveChangesAsync(ct);
    }

    private SettingValue Describe(EditableSetting setting)
    {
        var value = sections.ValueOf(configuration, setting);
        var fromPortal = overlay.Holds(setting);
        return new SettingValue(setting.Secret ? null : value, !string.IsNullOrEmpty(value), fromPortal);
    }

    private static string? Shown(EditableSetting setting, SettingValue value) =>
        setting.Secret ? (value.IsSet ? SecretMask : null) : value.Value;

    private static EditableSetting Editable(string key) =>
        EditableSettings.Find(key) ?? throw new ArgumentException($"{key} is not an editable setting", nameof(key));
}
