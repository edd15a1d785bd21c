using System.Globalization;
using System.Text;

namespace WaIdentity.IdP.Metrics;

/// <summary>The Prometheus text exposition format (version 0.0.4).</summary>
public static class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static void WriteHeader(StringBuilder output, string name, string help, string type) =>
        output.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
              .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    public static void WriteGauge(StringBuilder output, string name, string help, double value, params (string Name, string Value)[] labels)
    {
        WriteHeader(output, name, help, "gauge");
        WriteSample(output, name, value, labels);
    }

    /// <summary>One line: the name, its labels (values escaped) and the value.</summary>
    public static void WriteSample(StringBuilder output, string name, double value, params (string Name, string Value)[] labels) =>
        WriteSample(output, name, FormatLabels(labels), value);

    internal static void WriteSample(StringBuilder output, string name, string formattedLabels, double value) =>
        output.Append(name).Append(formattedLabels).Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');

    internal static string FormatLabels((string Name, string Value)[] labels) =>
        labels.Length == 0 ? "" : "{" + string.Join(",", labels.Select(l => $"{l.Name}=\"{Escape(l.Value)}\"")) + "}";

    public static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");
}
