using Microsoft.EntityFrameworkCore;
using WaIdentity.WaChannel.Persistence;

namespace WaIdentity.WaChannel.Device;

/// <summary>
/// Persists what the gateway reports: the current status, a history entry per change, and the scan-needed alert
/// (raised when the device waits for a QR scan, resolved once it works). Reports older than the stored one are ignored.
/// </summary>
public sealed class DeviceStateRecorder(ChannelDbContext db, GatewayEndpoint endpoint, TimeProvider clock)
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
    public async Task RecordStatusAsync(string status, DateTimeOffset at, string? accountId, string? accountName, CancellationToken ct)
    {
        var state = await LoadAsync(ct);
        if (at < state.StatusAt) return;
        var changed = state.Status != status;
        state.Status = status;
        state.StatusAt = at;
        if (status == DeviceStatus.Working && PhoneNumber.FromDigits(accountId?.Split('@')[0]) is { } phone)
        {
            state.AccountPhone = phone;
            state.AccountName = accountName?.Trim() is { Length: > 0 } n ? n[..Math.Min(n.Length, 100)] : null;
        }
        if (status == DeviceStatus.ScanQrCode) state.AccountPhone = state.AccountName = null;
        if (changed) AddEvent("status", status);
        if (status == DeviceStatus.Working) await ResolveAlertsAsync(state, ct);
        if (status == DeviceStatus.ScanQrCode) await RaiseScanAlertAsync(ct);
        await db.SaveChangesAsync(ct);
    }

    public async Task RecordAsync(string kind, string detail, CancellationToken ct)
    {
        AddEvent(kind, detail);
        await db.SaveChangesAsync(ct);
    }

    private void AddEvent(string kind, string detail) => db.Add(new DeviceEvent
    {
        Id = Guid.NewGuid(), Session = endpoint.Session, Kind = kind, Detail = detail[..Math.Min(detail.Length, 300)], At = clock.GetUtcNow(),
    });

    private async Task ResolveAlertsAsync(DeviceState state, CancellationToken ct)
    {
        state.RestartAttempts = 0;
        state.NextRestartAt = null;
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
