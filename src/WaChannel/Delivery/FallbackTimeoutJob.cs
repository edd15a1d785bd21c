using Microsoft.EntityFrameworkCore;
using Quartz;
using WaIdentity.WaChannel.Codes;
using WaIdentity.WaChannel.Outbox;
using WaIdentity.WaChannel.Persistence;

namespace WaIdentity.WaChannel.Delivery;

/// <summary>Scheduled: a WhatsApp code with no `delivered` by its DeliverBy time goes out once by SMS.</summary>
[DisallowConcurrentExecution]
public sealed class FallbackTimeoutJob(ChannelDbContext db, FallbackSender fallback, DeliveryTracker tracker, TimeProvider clock) : IJob
{
    public const string Name = "channel.fallback-timeout";

    public async Task Execute(IJobExecutionContext context)
    {
        var now = clock.GetUtcNow();
        var due = await db.Set<OutboundMessage>()
            .Where(m => m.DeliverBy != null && m.DeliverBy < now && m.FallbackId == null && m.Channel == ChannelKind.WhatsApp
                        && (m.State == DeliveryState.Queued || m.State == DeliveryState.Sent))
            .OrderBy(m => m.DeliverBy).Select(m => m.Id).Take(200).ToListAsync(context.CancellationToken);
        foreach (var id in due)
            if (await fallback.TryFallBackAsync(id, context.CancellationToken))
                await tracker.NotifyAsync(id, context.CancellationToken);
    }
}
