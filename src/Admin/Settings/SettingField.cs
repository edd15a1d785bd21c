namespace WaIdentity.Admin.Settings;

public enum SettingFieldKind { Switch, Number, Text, Choice, List, Secret }

/// <summary>One form field bound to one configuration key. <paramref name="Label"/> and choice labels are AdminText keys.</summary>
/// <param name="Min">For a number, the smallest value the portal accepts: stricter than the option's own rule where a
/// value it allows would only harm in production (a code valid for 10 seconds).</param>
/// <param name="Max">For a number, the largest value the portal accepts.</param>
public sealed record SettingField(string Key, SettingFieldKind Kind, string Label, IReadOnlyList<string>? Choices = null, string? Hint = null,
    int? Min = null, int? Max = null)
{
    /// <summary>The HTML id: configuration keys contain ':' which CSS selectors would have to escape.</summary>
    public string Id => "f-" + Key.Replace(':', '-');
}

public sealed record SettingFieldGroup(string Title, IReadOnlyList<SettingField> Fields, string? Note = null);
