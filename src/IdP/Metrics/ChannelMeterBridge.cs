using System.Diagnostics.Metrics;
using WaIdentity.WaChannel.Outbox;

namespace WaIdentity.IdP.Metrics;

/// <summary>
/// Copies the channel's counters (refused code sends by reason) into /metrics. Only this host's meters are heard
/// (the meter's scope is this host's factory), so hosts sharing a process never count each other's sends.
/// </summary>
public sealed class ChannelMeterBridge(IMeterFactory factory, MetricsRegistry registry) : IHostedService, IDisposable
{
    private readonly MeterListener _listener = new();

    public Task StartAsync(CancellationToken ct)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == ChannelMeters.MeterName && ReferenceEquals(instrument.Meter.Scope, factory))
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var labels = new List<(string, string)>();
            foreach (var tag in tags) labels.Add((tag.Key, tag.Value?.ToString() ?? ""));
            registry.Increment(instrument.Name + "_total", instrument.Description ?? instrument.Name, value, [.. labels]);
        });
        _listener.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

    public void Dispose() => _listener.Dispose();
}
