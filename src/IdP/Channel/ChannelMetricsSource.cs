using System.Text;
using Microsoft.EntityFrameworkCore;
using WaIdentity.IdP.Metrics;
using WaIdentity.WaChannel.Device;
using WaIdentity.WaChannel.Outbox;
using WaIdentity.WaChannel.Persistence;
using WaIdentity.WaChannel.Webhooks;

namespace WaIdentity.IdP.Channel;

/// <summary>
/// The channel's figures for /metrics, read from the shared database at scrape time so every node reports the same
/// cluster-wide values: codes by channel and state and fallbacks (last 24 h), outbox depth and age, webhook backlog
/// and lag, and the linked device's state.
/// </summary>
public sealed class ChannelMetricsSource(ChannelDbContext db, TimeProvider clock) : IMetricsSource
{
    public async Task WriteAsync(StringBuilder output, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var since = now.AddHours(-24);
        var messages = db.Set<OutboundMessage>().AsNoTracking();
        var byState = await messages.Where(m => m.CreatedAt >= since).GroupBy(m => new { m.Channel, m.State })
            .Select(g => new { g.Key.Channel, g.Key.State, Count = g.Count() }).ToListAsync(ct);
        PrometheusText.WriteHeader(output, "waidentity_messages_24h", "Messages written in the last 24 hours, by channel and current state.", "gauge");
        foreach (var row in byState.OrderBy(r => r.Channel).ThenBy(r => r.State))
            PrometheusText.WriteSample(output, "waidentity_messages_24h", row.Count, ("channel", row.Channel.ToString()), ("state", row.State.ToString()));
        PrometheusText.WriteGauge(output, "waidentity_fallbacks_24h", "SMS fallbacks sent in the last 24 hours.",
            await messages.CountAsync(m => m.CreatedAt >= since && m.FallbackOfId != null, ct));

        var pending = messages.Where(m => m.Dispatch == DispatchState.Pending);
        PrometheusText.WriteGauge(output, "waidentity_outbox_depth", "Messages waiting to be handed to a provider.", await pending.CountAsync(ct));
        var oldestPending = await pending.OrderBy(m => m.CreatedAt).Select(m => (DateTimeOffset?)m.CreatedAt).FirstOrDefaultAsync(ct);
        PrometheusText.WriteGauge(output, "waidentity_outbox_oldest_age_seconds", "Age of the oldest waiting message (0 when none).", Age(now, oldestPending));

        var backlog = db.Set<WebhookEvent>().AsNoTracking().Where(w => w.ProcessedAt == null);
        PrometheusText.WriteGauge(output, "waidentity_webhook_backlog", "Webhook events stored but not yet processed.", await backlog.CountAsync(ct));
        var oldestEvent = await backlog.OrderBy(w => w.ReceivedAt).Select(w => (DateTimeOffset?)w.ReceivedAt).FirstOrDefaultAsync(ct);
        PrometheusText.WriteGauge(output, "waidentity_webhook_lag_seconds", "Age of the oldest unprocessed webhook event (0 when none).", Age(now, oldestEvent));

        var devices = await db.Set<DeviceState>().AsNoTracking().Select(d => new { d.Session, d.Status }).ToListAsync(ct);
        PrometheusText.WriteHeader(output, "waidentity_device_status", "The linked gateway device's status (1 for the current one).", "gauge");
        foreach (var d in devices)
            PrometheusText.WriteSample(output, "waidentity_device_status", 1, ("session", d.Session), ("status", d.Status));
    }

    private static double Age(DateTimeOffset now, DateTimeOffset? since) => since is null ? 0 : Math.Max(0, (now - since.Value).TotalSeconds);
}
