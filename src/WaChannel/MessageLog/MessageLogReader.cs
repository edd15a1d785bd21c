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

/// <summary>Which messages the log shows; every part is optional.</summary>
public sealed record MessageLogFilter(string? Phone = null, ChannelKind? Channel = null, DeliveryState? State = null,
    DateTimeOffset? From = null, DateTimeOffset? To = null);

/// <summary>Reads the message log, newest first, filtered (for the admin portal).</summary>
public sealed class MessageLogReader(ChannelDbContext db)
{
    public Task<IReadOnlyList<MessageLogEntry>> ListAsync(string? phone, int take, CancellationToken ct) =>
        ListAsync(new MessageLogFilter(Phone: phone), take, ct);

    public async Task<IReadOnlyList<MessageLogEntry>> ListAsync(MessageLogFilter filter, int take, CancellationToken ct)
    {
        var messages = await Apply(db.Set<OutboundMessage>().AsNoTracking(), filter)
            .OrderByDescending(m => m.CreatedAt).Take(Math.Clamp(take, 1, 500)).ToListAsync(ct);
        var ids = messages.Select(m => m.Id).ToList();
        var history = (await db.Set<MessageStatusEvent>().AsNoTracking().Where(e => ids.Contains(e.MessageId)).ToListAsync(ct))
            .ToLookup(e => e.MessageId);
        // The timeline is in lifecycle order (queued, sent, delivered, read; failed last), not by time: each time is
        // when we learned of the state, and Meta's status webhooks can arrive out of order (delivered before sent).
        return messages.Select(m => new MessageLogEntry(
            m.Id, m.Channel, m.Phone, m.Purpose, m.State, m.Attempts, m.ProviderMessageId, m.ErrorCode, m.Error, m.FallbackOfId, m.FallbackId,
            m.Billable, m.PricingCategory, m.CreatedAt,
            history[m.Id].OrderBy(e => e.State).ThenBy(e => e.At).Select(e => new StateChange(e.State, e.At, e.ErrorCode)).ToList())).ToList();
    }

    internal static IQueryable<OutboundMessage> Apply(IQueryable<OutboundMessage> query, MessageLogFilter filter)
    {
        if (!string.IsNullOrEmpty(filter.Phone)) query = query.Where(m => m.Phone == filter.Phone);
        if (filter.Channel is { } channel) query = query.Where(m => m.Channel == channel);
        if (filter.State is { } state) query = query.Where(m => m.State == state);
        if (filter.From is { } from) query = query.Where(m => m.CreatedAt >= from);
        if (filter.To is { } to) query = query.Where(m => m.CreatedAt < to);
        return query;
    }
}
