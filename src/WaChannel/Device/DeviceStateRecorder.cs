using Microsoft.EntityFrameworkCore;
using WaIdentity.WaChannel.Persistence;

namespace WaIdentity.WaChannel.Device;

/// <summary>
/// Persists what the gateway reports: the current status, a history entry per change, and the scan-needed alert
/// (raised when the device waits for a QR scan, resolved once it works). Reports older than the stored one are ignored.
/// Back to WORKING, the messages that waited for the device go out at once (<see cref="WaitingMessagesRelease"/>);
/// away from it, they are held until it works again or their wait ends (<see cref="WaitingMessagesHold"/>).
/// </summary>
public sealed class DeviceStateRecorder(
    ChannelDbContext db, GatewayEndpoint endpoint, WaitingMessagesRelease waiting, WaitingMessagesHold hold, TimeProvider clock)
{
    public async Task<DeviceState> LoadAsync(CancellationToken ct)
    {
        var state = await db.Set<DeviceState>().FirstOrDefaultAsync(d => d.Session == endpoint.Session, ct);
        if (state is not null) return state;
        state = new DeviceState { Session = endpoint.Session, StatusAt = DateTimeOffset.UnixEpoch };
        db.Add(state);
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException)
        {
            // Another node created it first.
            db.Entry(state).State = EntityState.Detached;
            state = await db.Set<DeviceState>().FirstAsync(d => d.Session == endpoint.Session, ct);
        }
        return state;
    }

    /// <param name="accountId">The gateway's "me.id" (digits@c.us) when linked.</param>
    /// <remarks>
    /// Webhooks are handled in parallel and the watchdog reports too, so the change is one conditional UPDATE: only
    /// a report at least as new as the stored one, and naming a different status, wins, and only the winner records
    /// the history entry and raises or resolves the alert.
    /// </remarks>
    public async Task RecordStatusAsync(string status, DateTimeOffset at, string? accountId, string? accountName, CancellationToken ct)
    {
        var session = (await LoadAsync(ct)).Session;
        var phone = status == DeviceStatus.Working ? PhoneNumber.FromDigits(accountId?.Split('@')[0]) : null;
        var name = phone is null ? null : accountName?.Trim() is { Length: > 0 } n ? n[..Math.Min(n.Length, 100)] : null;
        var states = db.Set<DeviceState>().Where(d => d.Session == session && d.StatusAt <= at);
        // One transaction: readers never see the new status without its alert change, and concurrent writers queue on the row.
        var nowWorking = false;
        var changedAway = false;
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var changed = await states.Where(d => d.Status != status).ExecuteUpdateAsync(u =>
            {
                u.SetProperty(d => d.Status, status).SetProperty(d => d.StatusAt, at);
                if (phone is not null) u.SetProperty(d => d.AccountPhone, phone).SetProperty(d => d.AccountName, name);
                if (status == DeviceStatus.ScanQrCode) u.SetProperty(d => d.AccountPhone, (string?)null).SetProperty(d => d.AccountName, (string?)null);
                // Reaching a QR proves the restart worked: the backoff is for a gateway that keeps failing, not for a QR
                // window nobody scanned, whose end must be followed by a fresh QR at once (not after minutes).
                if (status is DeviceStatus.Working or DeviceStatus.ScanQrCode)
                    u.SetProperty(d => d.RestartAttempts, 0).SetProperty(d => d.NextRestartAt, (DateTimeOffset?)null);
            }, ct) == 1;
            if (changed)
            {
                AddEvent("status", status, at);
                if (status == DeviceStatus.Working) await ResolveAlertsAsync(ct);
                if (status == DeviceStatus.ScanQrCode) await RaiseScanAlertAsync(ct);
                await db.SaveChangesAsync(ct);
            }
            else await states.Where(d => d.Status == status).ExecuteUpdateAsync(u => u.SetProperty(d => d.StatusAt, at), ct);
            await tx.CommitAsync(ct);
            nowWorking = changed && status == DeviceStatus.Working;
            changedAway = changed && status != DeviceStatus.Working;
        });
        if (nowWorking) await waiting.ReleaseAsync(ct);
        if (changedAway) await hold.HoldAsync(ct);
    }

    public async Task RecordAsync(string kind, string detail, CancellationToken ct)
    {
        AddEvent(kind, detail, clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
    }

    /// <param name="at">For a status, the gateway's time of the transition, so the history keeps the gateway's order.</param>
    private void AddEvent(string kind, string detail, DateTimeOffset at) => db.Add(new DeviceEvent
    {
        Id = Guid.NewGuid(), Session = endpoint.Session, Kind = kind, Detail = detail[..Math.Min(detail.Length, 300)], At = at,
    });

    private async Task ResolveAlertsAsync(CancellationToken ct)
    {
        foreach (var alert in await db.Set<DeviceAlert>().Where(a => a.Session == endpoint.Session && a.ResolvedAt == null).ToListAsync(ct))
            alert.ResolvedAt = clock.GetUtcNow();
    }

    private async Task RaiseScanAlertAsync(CancellationToken ct)
    {
        if (await db.Set<DeviceAlert>().AnyAsync(a => a.Session == endpoint.Session && a.ResolvedAt == null && a.Kind == DeviceAlert.ScanNeeded, ct)) return;
        db.Add(new DeviceAlert
        {
            Id = Guid.NewGuid(), Session = endpoint.Session, Kind = DeviceAlert.ScanNeeded, RaisedAt = clock.GetUtcNow(),
            Message = "The WhatsApp device is not linked: scan the QR code or enter the pairing code on the business phone.",
        });
    }
}
