using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WaIdentity.WaChannel.Configuration;
using WaIdentity.WaChannel.Inbound;
using WaIdentity.WaChannel.Outbox;
using WaIdentity.WaChannel.Persistence;
using WaIdentity.WaChannel.Webhooks;

namespace WaIdentity.WaChannel.Retention;

/// <summary>
/// Deletes channel rows past their retention: finished messages and their history after Channel:RetentionDays,
/// processed webhook bodies, inbound dedupe records and sandbox inbox rows after 7 days (Meta retries for up to 7).
/// </summary>
public sealed class ChannelRetention(ChannelDbContext db, IOptions<ChannelOptions> options)
{
    private static readonly TimeSpan ShortLived = TimeSpan.FromDays(7);

    public async Task<int> PurgeAsync(DateTimeOffset now, CancellationToken ct)
    {
        var messagesBefore = now.AddDays(-options.Value.RetentionDays);
        var shortBefore = now - ShortLived;
        var oldIds = db.Set<OutboundMessage>().Where(m => m.CreatedAt < messagesBefore && m.Dispatch != DispatchState.Pending).Select(m => m.Id);
        var deleted = await db.Set<MessageStatusEvent>().Where(e => oldIds.Contains(e.MessageId)).ExecuteDeleteAsync(ct);
        deleted += await db.Set<OutboundMessage>().Where(m => m.CreatedAt < messagesBefore && m.Dispatch != DispatchState.Pending).ExecuteDeleteAsync(ct);
        deleted += await db.Set<WebhookEvent>().Where(w => w.ProcessedAt != null && w.ReceivedAt < shortBefore).ExecuteDeleteAsync(ct);
        deleted += await db.Set<InboundMessageRecord>().Where(i => i.ReceivedAt < shortBefore).ExecuteDeleteAsync(ct);
        deleted += await db.Set<SandboxMessage>().Where(s => s.CreatedAt < shortBefore).ExecuteDeleteAsync(ct);
        return deleted;
    }
}
