using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace WaIdentity.IdP.Configuration;

/// <summary>
/// Turns what start-up validation throws into one line per problem, each starting with the key. Besides the options
/// classes' own rules, the binder refuses values of the wrong type (e.g. "maybe" for a switch); its message is the
/// only place that names the key, so it is read here.
/// </summary>
internal static partial class ConfigurationProblems
{
    /// <returns>The lines, or null when <paramref name="e"/> is not (only) a configuration problem.</returns>
    public static IReadOnlyList<string>? Of(Exception e)
    {
        var lines = new List<string>();
        foreach (var x in e is AggregateException a ? a.InnerExceptions : [e])
        {
            if (x is OptionsValidationException v) lines.AddRange(v.Failures);
            else if (x is InvalidOperationException && BinderFailure().Match(x.Message) is { Success: true } m)
                lines.Add($"{m.Groups["key"].Value}: must be {Expected(m.Groups["type"].Value)} (got '{m.Groups["value"].Value}')");
            else return null;
        }
        return lines;
    }

    private static string Expected(string type) => type switch
    {
        "System.Boolean" => "true or false",
        "System.Int32" or "System.Int64" => "a whole number",
        _ => $"a value of type {type}",
    };

    [GeneratedRegex("^Failed to convert configuration value '(?<value>.*)' at '(?<key>[^']+)' to type '(?<type>[^']+)'")]
    private static partial Regex BinderFailure();
}
