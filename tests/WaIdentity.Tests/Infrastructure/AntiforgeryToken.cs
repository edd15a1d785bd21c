using System.Text.RegularExpressions;

namespace WaIdentity.Tests.Infrastructure;

/// <summary>Reads the antiforgery token a Razor form renders, so tests can post forms the way a browser does.</summary>
public static partial class AntiforgeryToken
{
    public const string FieldName = "__RequestVerificationToken";

    /// <summary>The first token in <paramref name="html"/>, or "" when the page has no form.</summary>
    public static string In(string html) => Pattern().Match(html).Groups[1].Value;

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Pattern();
}
