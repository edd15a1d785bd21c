using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using WaIdentity.Admin;
using WaIdentity.IdP.Login;
using WaIdentity.WaChannel.Configuration;

namespace WaIdentity.IdP.Settings;

/// <summary>
/// The options classes behind the editable settings. Binds a configuration the way the options system does (class
/// defaults, then the section), so the portal shows the value in force even when no file sets it, and runs the same
/// validators as start-up (every IValidateOptions of the class) over the configuration as it would be after a save.
/// </summary>
internal sealed partial class SettingsSections(IServiceProvider services)
{
    private sealed record Section(Func<IConfiguration, object> Bind, Func<IServiceProvider, object, IEnumerable<string>> Validate);

    private static readonly Dictionary<string, Section> BySection = new(StringComparer.OrdinalIgnoreCase)
    {
        [LoginOptions.Section] = For<LoginOptions>(LoginOptions.Section),
        [ChannelOptions.Section] = For<ChannelOptions>(ChannelOptions.Section),
        [Gateway.GatewayOptions.Section] = For<Gateway.GatewayOptions>(Gateway.GatewayOptions.Section),
    };

    /// <summary>The bound value of <paramref name="setting"/> as configuration text (lists comma-separated).</summary>
    public string? ValueOf(IConfiguration configuration, EditableSetting setting)
    {
        object? value = BySection[setting.Section].Bind(configuration);
        foreach (var name in setting.Key.Split(':').Skip(1))
        {
            var property = value?.GetType().GetProperty(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            value = property?.GetValue(value);
        }
        return value switch
        {
            null => null,
            bool b => b ? "true" : "false",
            string s => s,
            IEnumerable items => string.Join(",", items.Cast<object>().Select(i => Convert.ToString(i, CultureInfo.InvariantCulture))),
            _ => Convert.ToString(value, CultureInfo.InvariantCulture),
        };
    }

    /// <summary>What the options' rules refuse in <paramref name="candidate"/>, each under the editable setting it names.</summary>
    public IReadOnlyList<FieldProblem> Problems(IConfiguration candidate, IEnumerable<string> sections)
    {
        var lines = new List<string>();
        foreach (var name in sections.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var section = BySection[name];
            try { lines.AddRange(section.Validate(services, section.Bind(candidate))); }
            catch (InvalidOperationException e) { lines.Add(ConversionProblem(e)); }
        }
        return lines.Select(Problem).ToList();
    }

    /// <summary>
    /// The validators speak in "Key: message" lines (start-up prints them as they are). The field is the editable setting
    /// the key falls under (the longest match, so a list's "Key:0: ..." stays with its list), else the whole form.
    /// </summary>
    private static FieldProblem Problem(string line)
    {
        var setting = EditableSettings.All.Where(s => line.StartsWith(s.Key + ":", StringComparison.OrdinalIgnoreCase)).MaxBy(s => s.Key.Length);
        return setting is null ? new FieldProblem("", line) : new FieldProblem(setting.Key, line[(setting.Key.Length + 1)..].Trim());
    }

    private static Section For<T>(string name) where T : class, new() => new(
        c =>
        {
            var options = new T();
            c.GetSection(name).Bind(options);
            return options;
        },
        (sp, o) => sp.GetServices<IValidateOptions<T>>()
            .Select(v => v.Validate(Options.DefaultName, (T)o))
            .Where(r => r.Failed)
            .SelectMany(r => r.Failures ?? [r.FailureMessage ?? "invalid"]));

    /// <summary>The binder's "Failed to convert configuration value at 'Key' to type 'System.Int32'" as a "Key: ..." line.</summary>
    private static string ConversionProblem(InvalidOperationException e)
    {
        var match = ConversionPattern().Match(e.Message);
        return match.Success ? $"{match.Groups[1].Value}: is not a valid {match.Groups[2].Value.Split('.').Last()} value" : e.Message;
    }

    [GeneratedRegex("at '([^']+)' to type '([^']+)'")]
    private static partial Regex ConversionPattern();
}
