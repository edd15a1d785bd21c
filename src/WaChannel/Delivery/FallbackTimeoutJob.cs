using Microsoft.EntityFrameworkCore;
using Quartz;
using WaIdentity.WaChannel.Codes;
using WaIdentity.WaChannel.Outbox;
using WaIdentity.WaChannel.Persistence;

namespace WaIdentity.WaChannel.Delivery;

/// <summary>Scheduled: a WhatsApp code with no `delivered` by its DeliverBy time goes out once by SMS.</summary>
[DisallowConcurrentExecution]
internal sealed class FallbackTimeoutJob(ChannelDbContext db, FallbackSender fallback, DeliveryTracker tracker, TimeProvider clock) : IJob
{
    public const string Name = "channel.fallback-timeout";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var due = await db.Set<OutboundMessage>()
            .Where(m => m.DeliverBy != null && m.DeliverBy < now && m.FallbackId == null && m.Channel == ChannelKind.WhatsApp
                        && (m.State == DeliveryState.Queued || m.State == DeliveryState.Sent))
            .OrderBy(m => m.DeliverBy).Select(m => m.Id).Take(200).ToListAsync(ct);
        foreach (var id in due)
            if (await fallback.TryFallBackAsync(id, ct))
                await tracker.NotifyAsync(id, ct);
    }
}
