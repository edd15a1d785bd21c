using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WaIdentity.WaChannel.Codes;
using WaIdentity.WaChannel.Outbox;
using WaIdentity.WaChannel.Persistence;

namespace WaIdentity.WaChannel.Device;

/// <summary>
/// While the device is not WORKING, messages for it are held until their wait ends (created + MessageWaitSeconds)
/// instead of burning the outbox's retry budget on a device that cannot send; <see cref="WaitingMessagesRelease"/>
/// sends them when it works again. Tries made while the device could not send do not count as failed attempts.
/// </summary>
public sealed class WaitingMessagesHold(ChannelDbContext db, IOptions<DeviceOptions> options, TimeProvider clock)
{
    public TimeSpan Wait => TimeSpan.FromSeconds(options.Value.MessageWaitSeconds);

    public async Task HoldAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var waiting = await db.Set<OutboundMessage>().AsNoTracking()
            .Where(m => m.Channel == ChannelKind.Device && m.Dispatch == DispatchState.Pending)
            .Select(m => new { m.Id, m.CreatedAt, m.NextAttemptAt }).ToListAsync(ct);
        foreach (var m in waiting.Where(m => m.CreatedAt + Wait > m.NextAttemptAt && m.CreatedAt + Wait > now))
        {
            var until = m.CreatedAt + Wait;
            // Not while a dispatcher holds its lease: that send records its own outcome, and the next hold catches it.
            await db.Set<OutboundMessage>()
                .Where(x => x.Id == m.Id && x.Dispatch == DispatchState.Pending && (x.LeaseUntil == null || x.LeaseUntil < now))
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.NextAttemptAt, until).SetProperty(x => x.Attempts, 0), ct);
        }
    }
}
