using Microsoft.EntityFrameworkCore;
using WaIdentity.WaChannel.Codes;
using WaIdentity.WaChannel.Outbox;
using WaIdentity.WaChannel.Persistence;

namespace WaIdentity.WaChannel.Delivery;

/// <summary>A handle's status as the IdP sees it: the original message, or its SMS fallback once there is one.</summary>
internal sealed class DeliveryStatusReader(ChannelDbContext db)
{
    public async Task<DeliveryStatus?> ReadAsync(Guid handleId, CancellationToken ct)
    {
        var messages = db.Set<OutboundMessage>().AsNoTracking();
        var root = await messages.FirstOrDefaultAsync(m => m.Id == handleId, ct);
        if (root is null) return null;
        if (root.FallbackOfId is { } originalId) return await ReadAsync(originalId, ct);
        var fallback = root.FallbackId is { } fid ? await messages.FirstOrDefaultAsync(m => m.Id == fid, ct) : null;
        var latest = fallback ?? root;
        var reason = fallback is null ? FallbackReason.None
            : root.State == DeliveryState.Failed ? FallbackReason.WhatsAppFailed : FallbackReason.NoDeliveryReport;
        return new DeliveryStatus(new MessageHandle(root.Id), latest.Channel, latest.State, fallback is not null, latest.Error, latest.UpdatedAt, reason, latest.ErrorCode);
    }
}
