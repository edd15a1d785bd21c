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
        output.Append(name).Append(MetricsRegistry.FormatLabels(labels)).Append(' ')
              .Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }

    public static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");
}
