using Microsoft.EntityFrameworkCore;
using WaIdentity.WaChannel.Codes;
using WaIdentity.WaChannel.Outbox;
using WaIdentity.WaChannel.Persistence;

namespace WaIdentity.WaChannel.MessageLog;

public sealed record StateChange(DeliveryState State, DateTimeOffset At, string? ErrorCode);

/// <summary>One message as the portal's message log shows it. The code itself is never part of it.</summary>
/// <param name="Billable">True: a paid (authentication) template; false: a free reply; null: not reported yet.</param>
public sealed record MessageLogEntry(
    Guid Id, ChannelKind Channel, string Phone, string Purpose, DeliveryState State, int Attempts, string? ProviderMessageId,
    string? ErrorCode, string? Error, Guid? FallbackOfId, Guid? FallbackId, bool? Billable, string? PricingCategory,
    DateTimeOffset CreatedAt, IReadOnlyList<StateChange> History);

/// <summary>Reads the message log, newest first, optionally for one phone (for the admin portal).</summary>
public sealed class MessageLogReader(ChannelDbContext db)
{
    public async Task<IReadOnlyList<MessageLogEntry>> ListAsync(string? phone, int take, CancellationToken ct)
    {
        var query = db.Set<OutboundMessage>().AsNoTracking();
        if (!string.IsNullOrEmpty(phone)) query = query.Where(m => m.Phone == phone);
        var messages = await query.OrderByDescending(m => m.CreatedAt).Take(Math.Clamp(take, 1, 500)).ToListAsync(ct);
        var ids = messages.Select(m => m.Id).ToList();
        var history = (await db.Set<MessageStatusEvent>().AsNoTracking().Where(e => ids.Contains(e.MessageId)).ToListAsync(ct))
            .ToLookup(e => e.MessageId);
        return messages.Select(m => new MessageLogEntry(
            m.Id, m.Channel, m.Phone, m.Purpose, m.State, m.Attempts, m.ProviderMessageId, m.ErrorCode, m.Error, m.FallbackOfId, m.FallbackId,
            m.Billable, m.PricingCategory, m.CreatedAt,
            history[m.Id].OrderBy(e => e.At).ThenBy(e => e.State).Select(e => new StateChange(e.State, e.At, e.ErrorCode)).ToList())).ToList();
    }
}
