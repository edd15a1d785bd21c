namespace WaIdentity.Admin.Settings;

public enum SettingFieldKind { Switch, Number, Text, Choice, List, Secret }

/// <summary>One form field bound to one configuration key. <paramref name="Label"/> and choice labels are AdminText keys.</summary>
public sealed record SettingField(string Key, SettingFieldKind Kind, string Label, IReadOnlyList<string>? Choices = null, string? Hint = null)
{
    /// <summary>The HTML id: configuration keys contain ':' which CSS selectors would have to escape.</summary>
    public string Id => "f-" + Key.Replace(':', '-');
}

public sealed record SettingFieldGroup(string Title, IReadOnlyList<SettingField> Fields, string? Note = null);
