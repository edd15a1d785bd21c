using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using WaIdentity.WaChannel.Codes;
using WaIdentity.WaChannel.Outbox;
using WaIdentity.WaChannel.Persistence;
using WaIdentity.WaChannel.Providers;
using WaIdentity.WaChannel.Telemetry;

namespace WaIdentity.WaChannel.Delivery;

/// <summary>
/// Applies one delivery state to one message: records it once in the history (the same state twice is one change),
/// moves the message's state only forward, starts the SMS fallback on `failed`, and tells the observers.
/// </summary>
internal sealed class DeliveryTracker(
    ChannelDbContext db, FallbackSender fallback, DeliveryStatusReader statuses, IEnumerable<IDeliveryObserver> observers,
    TimeProvider clock, ChannelMeters meters, ILogger<DeliveryTracker> log)
{
    /// <returns>True when the message's state changed.</returns>
    public async Task<bool> ApplyAsync(Guid messageId, DeliveryState to, DateTimeOffset at, string? errorCode, string? error, CancellationToken ct)
    {
        if (!await RecordOnceAsync(messageId, to, at, errorCode, ct)) return false;
        // One read for what the steps below need: a status storm (thousands a second) paid a statement for each.
        var message = await db.Set<OutboundMessage>().AsNoTracking().Where(m => m.Id == messageId)
            .Select(m => new MessageFacts(m.TraceParent, m.Channel, m.Kind, m.CreatedAt, m.Dispatch, m.ErrorCode)).FirstOrDefaultAsync(ct);
        using var activity = ChannelTracing.StartStatus(messageId, to, message?.TraceParent);
        if (to != DeliveryState.Queued && message is { Dispatch: DispatchState.Pending, ErrorCode: ProviderSendResult.TimeoutCode })
            await SettleUnknownOutcomeAsync(messageId, ct);
        var from = DeliveryStateRules.AllowedFrom(to);
        var now = clock.GetUtcNow();
        var changed = await db.Set<OutboundMessage>()
            .Where(m => m.Id == messageId && from.Contains(m.State))
            .ExecuteUpdateAsync(s => s
                .SetProperty(m => m.State, to)
                .SetProperty(m => m.UpdatedAt, now)
                .SetProperty(m => m.ErrorCode, m => errorCode ?? m.ErrorCode)
                .SetProperty(m => m.Error, m => error ?? m.Error), ct) == 1;
        if (!changed) return false;
        log.LogInformation("Message {MessageId} is now {State}", messageId, to);
        // Measured to the provider's own delivery time, so a late webhook does not make delivery look slow.
        if (to == DeliveryState.Delivered && message is not null) meters.Delivered(message.Channel, message.Kind, at - message.CreatedAt);
        if (to == DeliveryState.Failed) await fallback.TryFallBackAsync(messageId, ct);
        await NotifyAsync(messageId, ct);
        return true;
    }

    /// <summary>
    /// A report from the provider proves it took a message whose send timed out: it is not sent again on that channel.
    /// Still conditional: the read that called for it may be stale by now.
    /// </summary>
    private Task SettleUnknownOutcomeAsync(Guid messageId, CancellationToken ct) =>
        db.Set<OutboundMessage>()
            .Where(m => m.Id == messageId && m.Dispatch == DispatchState.Pending && m.ErrorCode == ProviderSendResult.TimeoutCode)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Dispatch, DispatchState.Accepted)
                .SetProperty(m => m.ErrorCode, (string?)null).SetProperty(m => m.Error, (string?)null), ct);

    public async Task NotifyAsync(Guid messageId, CancellationToken ct)
    {
        if (!observers.Any()) return; // the status read is for them alone
        var status = await statuses.ReadAsync(messageId, ct);
        if (status is null) return;
        foreach (var observer in observers)
        {
            try { await observer.OnDeliveryChangedAsync(status, ct); }
            catch (Exception e) when (e is not OperationCanceledException) { log.LogWarning(e, "A delivery observer failed"); }
        }
    }

    private sealed record MessageFacts(string? TraceParent, ChannelKind Channel, MessageKind Kind, DateTimeOffset CreatedAt, DispatchState Dispatch, string? ErrorCode);

    /// <summary>The history row is the dedupe key: its primary key is (message, state).</summary>
    private Task<bool> RecordOnceAsync(Guid messageId, DeliveryState state, DateTimeOffset at, string? errorCode, CancellationToken ct) =>
        db.InsertOnceAsync(new MessageStatusEvent { MessageId = messageId, State = state, At = at, ErrorCode = errorCode },
            e => e.MessageId == messageId && e.State == state, ct);
}
