namespace WaIdentity.Admin.Settings;

public enum SettingFieldKind { Switch, Number, Text, Choice, List, Secret }

/// <summary>The portal's settings pages; each shows the catalogue's groups of its page.</summary>
public enum SettingsPage { LoginMethods, Apps, WhatsApp }

/// <summary>One form field bound to one configuration key. <paramref name="Label"/> and choice labels are AdminText keys.</summary>
/// <param name="Choices">For a choice, the enum's names; each is labelled by the AdminText key "Label_Name".</param>
/// <param name="Min">For a number, the smallest value the portal accepts: stricter than the option's own rule where a
/// value it allows would only harm in production (a code valid for 10 seconds).</param>
/// <param name="Max">For a number, the largest value the portal accepts.</param>
public sealed record SettingField(string Key, SettingFieldKind Kind, string Label, IReadOnlyList<string>? Choices = null, string? Hint = null,
    int? Min = null, int? Max = null)
{
    /// <summary>The HTML id: configuration keys contain ':' which CSS selectors would have to escape.</summary>
    public string Id => "f-" + Key.Replace(':', '-');

    /// <summary>A choice among the names of <typeparamref name="TEnum"/>, so the form cannot drift from the option's type.</summary>
    public static SettingField Choice<TEnum>(string key, string label, string? hint = null) where TEnum : struct, Enum =>
        new(key, SettingFieldKind.Choice, label, Enum.GetNames<TEnum>(), hint);
}

public sealed record SettingFieldGroup(SettingsPage Page, string Title, IReadOnlyList<SettingField> Fields, string? Note = null);
