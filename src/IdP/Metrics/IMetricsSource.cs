using System.Text;

namespace WaIdentity.IdP.Metrics;

/// <summary>Writes gauges read at scrape time, for figures that live in the shared database rather than one node.</summary>
public interface IMetricsSource
{
    Task WriteAsync(StringBuilder output, CancellationToken ct);
}
