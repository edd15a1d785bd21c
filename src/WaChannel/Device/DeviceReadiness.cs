using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WaIdentity.WaChannel.Persistence;

namespace WaIdentity.WaChannel.Device;

/// <summary>A message queued now for the device waits for it: the device's status and how long the message waits.</summary>
public sealed record DeviceWait(string Status, DateTimeOffset Until);

/// <summary>Whether the device can send now (its last recorded status), so a caller learns up front that a message will wait.</summary>
public sealed class DeviceReadiness(GatewayEndpoint endpoint, ChannelDbContext db, IOptions<DeviceOptions> options, TimeProvider clock)
{
    /// <summary>Null when the device is WORKING (or off: then nothing is queued for it).</summary>
    public async Task<DeviceWait?> WaitForNewMessageAsync(CancellationToken ct)
    {
        if (!endpoint.IsActive) return null;
        var status = await db.Set<DeviceState>().AsNoTracking().Where(d => d.Session == endpoint.Session).Select(d => d.Status).FirstOrDefaultAsync(ct)
            ?? DeviceStatus.Unknown;
        return status == DeviceStatus.Working ? null : new DeviceWait(status, clock.GetUtcNow().AddSeconds(options.Value.MessageWaitSeconds));
    }
}
