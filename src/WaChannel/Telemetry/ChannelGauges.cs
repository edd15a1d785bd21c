using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WaIdentity.WaChannel.Device;
using WaIdentity.WaChannel.Outbox;
using WaIdentity.WaChannel.Persistence;
using WaIdentity.WaChannel.Webhooks;

namespace WaIdentity.WaChannel.Telemetry;

/// <summary>
/// The channel's cluster-wide gauges, read from the shared database when metrics are collected, so every node reports
/// the same values: messages by channel and state and fallbacks (last 24 h), outbox depth and age, webhook backlog
/// and lag, and the linked device's state. One collection reads the database once: the gauges share a snapshot that
/// is at most a second old. A hosted service only so the instruments exist from start-up.
/// </summary>
internal sealed class ChannelGauges : IHostedService
{
    private static readonly TimeSpan Freshness = TimeSpan.FromSeconds(1);
    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _clock;
    private readonly ILogger<ChannelGauges> _log;
    private readonly Lock _gate = new();
    private Snapshot? _snapshot;
    private long _readAt;

    public ChannelGauges(IMeterFactory factory, IServiceScopeFactory scopes, TimeProvider clock, ILogger<ChannelGauges> log)
    {
        _scopes = scopes;
        _clock = clock;
        _log = log;
        var meter = factory.Create(ChannelMeters.MeterName);
        meter.CreateObservableGauge("waidentity_messages_24h", () => Read()?.Messages ?? [],
            description: "Messages written in the last 24 hours, by channel and current state.");
        meter.CreateObservableGauge("waidentity_fallbacks_24h", () => One(s => s.Fallbacks), description: "SMS fallbacks sent in the last 24 hours.");
        meter.CreateObservableGauge("waidentity_outbox_depth", () => One(s => s.OutboxDepth), description: "Messages waiting to be handed to a provider.");
        meter.CreateObservableGauge("waidentity_outbox_oldest_age_seconds", () => One(s => s.OutboxAgeSeconds),
            description: "Age of the oldest waiting message (0 when none).");
        meter.CreateObservableGauge("waidentity_webhook_backlog", () => One(s => s.WebhookBacklog), description: "Webhook events stored but not yet processed.");
        meter.CreateObservableGauge("waidentity_webhook_lag_seconds", () => One(s => s.WebhookLagSeconds),
            description: "Age of the oldest unprocessed webhook event (0 when none).");
        meter.CreateObservableGauge("waidentity_device_status", () => Read()?.Devices ?? [],
            description: "The linked gateway device's status (1 for the current one).");
    }

    public Task StartAsync(CancellationToken ct) => Task.CompletedTask;

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

    /// <summary>Observable callbacks are synchronous, so the snapshot is read with synchronous queries.</summary>
    private Snapshot? Read()
    {
        lock (_gate)
        {
            if (_readAt != 0 && Stopwatch.GetElapsedTime(_readAt) < Freshness) return _snapshot;
            try
            {
                using var scope = _scopes.CreateScope();
                _snapshot = Query(scope.ServiceProvider.GetRequiredService<ChannelDbContext>(), _clock.GetUtcNow());
            }
            catch (Exception e)
            {
                // While the database is down the gauges are absent (not a misleading 0) and the rest of the scrape still works.
                _log.LogWarning(e, "Could not read the channel's gauges from the database");
                _snapshot = null;
            }
            _readAt = Stopwatch.GetTimestamp();
            return _snapshot;
        }
    }

    private static Snapshot Query(ChannelDbContext db, DateTimeOffset now)
    {
        var since = now.AddHours(-24);
        var messages = db.Set<OutboundMessage>().AsNoTracking();
        var byState = messages.Where(m => m.CreatedAt >= since).GroupBy(m => new { m.Channel, m.State })
            .Select(g => new { g.Key.Channel, g.Key.State, Count = g.Count() }).ToList();
        var pending = messages.Where(m => m.Dispatch == DispatchState.Pending);
        var oldestPending = pending.OrderBy(m => m.CreatedAt).Select(m => (DateTimeOffset?)m.CreatedAt).FirstOrDefault();
        var backlog = db.Set<WebhookEvent>().AsNoTracking().Where(w => w.ProcessedAt == null);
        var oldestEvent = backlog.OrderBy(w => w.ReceivedAt).Select(w => (DateTimeOffset?)w.ReceivedAt).FirstOrDefault();
        var devices = db.Set<DeviceState>().AsNoTracking().Select(d => new { d.Session, d.Status }).ToList();
        return new Snapshot(
            [.. byState.Select(r => new Measurement<long>(r.Count, new("channel", r.Channel.ToString()), new("state", r.State.ToString())))],
            messages.Count(m => m.CreatedAt >= since && m.FallbackOfId != null),
            pending.Count(),
            Age(now, oldestPending),
            backlog.Count(),
            Age(now, oldestEvent),
            [.. devices.Select(d => new Measurement<long>(1, new("session", d.Session), new("status", d.Status)))]);
    }

    private IEnumerable<Measurement<T>> One<T>(Func<Snapshot, T> pick) where T : struct =>
        Read() is { } snapshot ? [new Measurement<T>(pick(snapshot))] : [];

    private static double Age(DateTimeOffset now, DateTimeOffset? since) => since is null ? 0 : Math.Max(0, (now - since.Value).TotalSeconds);

    private sealed record Snapshot(
        Measurement<long>[] Messages, long Fallbacks, long OutboxDepth, double OutboxAgeSeconds, long WebhookBacklog, double WebhookLagSeconds,
        Measurement<long>[] Devices);
}
