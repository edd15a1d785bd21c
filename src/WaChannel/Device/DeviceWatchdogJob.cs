using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;
using WaIdentity.WaChannel.Persistence;
using WaIdentity.WaChannel.Queues;

namespace WaIdentity.WaChannel.Device;

/// <summary>
/// Polls the gateway for the session's status and restarts a failed or unexpectedly stopped device: the first
/// restart at once, later ones after a doubling delay (reset once the device reaches a QR or works). Holds the device's
/// messages while it cannot send and releases them when it can. Never polls more often than every 2 s, across all nodes.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class DeviceWatchdogJob(
    GatewayEndpoint endpoint, DeviceGatewayClient gateway, DeviceStateRecorder recorder, WaitingMessagesHold hold, WaitingMessagesRelease release,
    ChannelDbContext db, IOptions<DeviceOptions> options, TimeProvider clock, ILogger<DeviceWatchdogJob> log) : IJob
{
    public const string Name = "channel.device-watchdog";
    public static readonly TimeSpan MinPollInterval = TimeSpan.FromSeconds(2);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct)
    {
        if (!endpoint.IsActive) return;
        if (!await ClaimPollAsync(ct)) return;
        GatewaySession? session;
        // Stamped before asking: a webhook for a transition after this read is newer and must win over it.
        var askedAt = clock.GetUtcNow();
        try { session = await gateway.GetSessionAsync(ct); }
        catch (GatewayException e)
        {
            log.LogWarning("Device watchdog: {Problem}", e.Message);
            await hold.HoldAsync(ct);
            return;
        }
        var status = session?.Status ?? DeviceStatus.Stopped;
        await recorder.RecordStatusAsync(status, askedAt, session?.AccountId, session?.PushName, ct);
        // Each round settles what a status change alone cannot: a send that raced the change, or a gateway that was
        // unreachable and is back without a change of status.
        if (status == DeviceStatus.Working) await release.ReleaseAsync(ct);
        else await hold.HoldAsync(ct);
        if (session is null || session.Status is DeviceStatus.Failed or DeviceStatus.Stopped) await RestartIfDueAsync(session, ct);
    }

    /// <summary>Moves LastPolledAt forward only if it is at least 2 s old, so two nodes cannot both poll.</summary>
    private async Task<bool> ClaimPollAsync(CancellationToken ct)
    {
        var state = await recorder.LoadAsync(ct);
        var now = clock.GetUtcNow();
        var since = now - MinPollInterval;
        var last = state.LastPolledAt;
        return await db.Set<DeviceState>()
            .Where(d => d.Session == state.Session && d.LastPolledAt == last && (d.LastPolledAt == null || d.LastPolledAt <= since))
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.LastPolledAt, now), ct) == 1;
    }

    private async Task RestartIfDueAsync(GatewaySession? session, CancellationToken ct)
    {
        var state = await db.Set<DeviceState>().AsNoTracking().FirstAsync(d => d.Session == endpoint.Session, ct);
        var now = clock.GetUtcNow();
        if (!state.ShouldRun || state.NextRestartAt > now) return;
        var attempt = state.RestartAttempts + 1;
        var o = options.Value;
        DateTimeOffset? next = now + new Backoff(TimeSpan.FromSeconds(o.RestartBaseSeconds), TimeSpan.FromSeconds(o.RestartMaxSeconds)).Delay(attempt);
        await db.Set<DeviceState>().Where(d => d.Session == state.Session)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.RestartAttempts, attempt).SetProperty(d => d.NextRestartAt, next), ct);
        try
        {
            if (session is null || session.Status == DeviceStatus.Stopped) await gateway.StartAsync(ct);
            else await gateway.ActAsync("restart", ct);
            await recorder.RecordAsync("action", $"watchdog restart (attempt {attempt}) after {session?.Status ?? "no session"}", ct);
        }
        catch (GatewayException e)
        {
            await recorder.RecordAsync("error", $"watchdog restart (attempt {attempt}) failed: {e.Message}", ct);
        }
    }
}
