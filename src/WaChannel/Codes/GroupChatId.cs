using System.Text.RegularExpressions;

namespace WaIdentity.WaChannel;

/// <summary>
/// WhatsApp group chat ids as the linked device knows them: "120363012345678901@g.us" (current groups) or
/// "6281234567890-1600000000@g.us" (old groups: creator and creation time). The "@g.us" suffix is optional on input.
/// </summary>
public static partial class GroupChatId
{
    public const string Suffix = "@g.us";

    [GeneratedRegex(@"^([0-9]{10,24}|[1-9][0-9]{7,14}-[0-9]{9,11})$")]
    private static partial Regex Local();

    public static bool IsGroup(string? recipient) => recipient is not null && recipient.EndsWith(Suffix, StringComparison.Ordinal);

    /// <summary>The id with its "@g.us" suffix, or null when the value is not a group id.</summary>
    public static string? Normalize(string? value)
    {
        var local = value?.Trim();
        if (local is null) return null;
        if (local.EndsWith(Suffix, StringComparison.OrdinalIgnoreCase)) local = local[..^Suffix.Length];
        return Local().IsMatch(local) ? local + Suffix : null;
    }
}
