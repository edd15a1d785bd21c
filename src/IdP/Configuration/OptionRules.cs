namespace WaIdentity.IdP.Configuration;

/// <summary>Small checks shared by options classes, each returning the one-line message or nothing.</summary>
internal static class OptionRules
{
    public static IEnumerable<string> InRange(string key, long value, long min, long max)
    {
        if (value < min || value > max)
            yield return $"{key}: must be between {min} and {max} (got {value})";
    }

    public static IEnumerable<string> OneOf(string key, string? value, params string[] allowed)
    {
        if (value is null || !allowed.Contains(value, StringComparer.OrdinalIgnoreCase))
            yield return $"{key}: must be one of {string.Join(", ", allowed)} (got '{value}')";
    }

    public static IEnumerable<string> Required(string key, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            yield return $"{key}: is required";
    }

    public static IEnumerable<string> AbsoluteHttpUrl(string key, string? value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
            yield return $"{key}: must be an absolute http(s) URL (got '{value}')";
    }
}
