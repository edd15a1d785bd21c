using Microsoft.EntityFrameworkCore;
using WaIdentity.WaChannel.Codes;
using WaIdentity.WaChannel.Outbox;
using WaIdentity.WaChannel.Persistence;

namespace WaIdentity.WaChannel.MessageLog;

/// <summary>Counts for one hour: how many messages were created and how far each got.</summary>
public sealed record HourlyDelivery(DateTimeOffset Hour, int Sent, int Delivered, int Read, int Failed, int Fallbacks);

/// <summary>Time from writing the message to its `delivered` status, in seconds, by percentile.</summary>
public sealed record DeliveryLatency(int Samples, double? P50, double? P90, double? P99);

public sealed record DeliveryDashboard(IReadOnlyList<HourlyDelivery> Hours, DeliveryLatency Latency, int Paid, int Free, int Unpriced);

/// <summary>The figures behind the portal's delivery dashboard, over a window of whole hours ending now.</summary>
public sealed class DeliveryStatistics(ChannelDbContext db, TimeProvider clock)
{
    public async Task<DeliveryDashboard> ReadAsync(int hours, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var firstHour = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero).AddHours(1 - hours);
        var messages = await db.Set<OutboundMessage>().AsNoTracking().Where(m => m.CreatedAt >= firstHour)
            .Select(m => new { m.Id, m.CreatedAt, m.State, m.FallbackOfId, m.Billable }).ToListAsync(ct);
        var ids = messages.Select(m => m.Id).ToList();
        var delivered = await db.Set<MessageStatusEvent>().AsNoTracking()
            .Where(e => e.State == DeliveryState.Delivered && ids.Contains(e.MessageId))
            .Select(e => new { e.MessageId, e.At }).ToListAsync(ct);

        var byHour = messages.ToLookup(m => (int)(m.CreatedAt - firstHour).TotalHours);
        var rows = Enumerable.Range(0, hours).Select(i => new HourlyDelivery(firstHour.AddHours(i),
            byHour[i].Count(), byHour[i].Count(m => m.State >= DeliveryState.Delivered && m.State != DeliveryState.Failed),
            byHour[i].Count(m => m.State == DeliveryState.Read), byHour[i].Count(m => m.State == DeliveryState.Failed),
            byHour[i].Count(m => m.FallbackOfId is not null))).ToList();
        var created = messages.ToDictionary(m => m.Id, m => m.CreatedAt);
        var latencies = delivered.Select(d => (d.At - created[d.MessageId]).TotalSeconds).Order().ToList();
        return new DeliveryDashboard(rows, new DeliveryLatency(latencies.Count, Percentile(latencies, 0.5), Percentile(latencies, 0.9), Percentile(latencies, 0.99)),
            messages.Count(m => m.Billable == true), messages.Count(m => m.Billable == false), messages.Count(m => m.Billable is null));
    }

    /// <summary>Nearest-rank percentile of sorted values; null when there are none.</summary>
    public static double? Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? null : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
