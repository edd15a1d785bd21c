using Microsoft.EntityFrameworkCore;
using WaIdentity.WaChannel.Codes;
using WaIdentity.WaChannel.Outbox;
using WaIdentity.WaChannel.Persistence;

namespace WaIdentity.WaChannel.Device;

/// <summary>
/// When the device comes back to WORKING, the messages that waited for it (retried with a growing backoff while it
/// was down) are made due now and the dispatcher is woken, so a reconnect sends them at once rather than minutes later.
/// </summary>
public sealed class WaitingMessagesRelease(ChannelDbContext db, DispatchSignal signal, TimeProvider clock)
{
    public async Task ReleaseAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var released = await db.Set<OutboundMessage>()
            .Where(m => m.Channel == ChannelKind.Device && m.Dispatch == DispatchState.Pending && m.NextAttemptAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.NextAttemptAt, now), ct);
        if (released > 0) signal.Notify();
    }
}
