using System.Collections.Concurrent;
using System.Text;

namespace WaIdentity.IdP.Metrics;

/// <summary>
/// Process-local counters in Prometheus text format. Each node counts what it served; Prometheus sums the nodes.
/// Cluster-wide figures (outbox depth, device state) come from <see cref="IMetricsSource"/> at scrape time instead.
/// </summary>
public sealed class MetricsRegistry
{
    private readonly ConcurrentDictionary<string, string> _help = new();
    private readonly ConcurrentDictionary<(string Name, string Labels), double> _values = new();

    /// <param name="labels">Pairs of label name and value; values are escaped here.</param>
    public void Increment(string name, string help, double by = 1, params (string Name, string Value)[] labels)
    {
        _help.TryAdd(name, help);
        _values.AddOrUpdate((name, PrometheusText.FormatLabels(labels)), by, (_, current) => current + by);
    }

    /// <param name="method">An amr value or "+"-joined amr values, e.g. "otp+wa".</param>
    /// <param name="outcome">"success" or the failure's message key (a small fixed set).</param>
    public void LoginAttempt(string method, string outcome) =>
        Increment("waidentity_logins_total", "Login attempts by method and outcome.", 1, ("method", method), ("outcome", outcome));

    public void WriteTo(StringBuilder output)
    {
        foreach (var group in _values.GroupBy(v => v.Key.Name).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            PrometheusText.WriteHeader(output, group.Key, _help[group.Key], "counter");
            foreach (var (key, value) in group.OrderBy(v => v.Key.Labels, StringComparer.Ordinal))
                PrometheusText.WriteSample(output, key.Name, key.Labels, value);
        }
    }
}
