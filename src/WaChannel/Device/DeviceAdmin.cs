using Microsoft.EntityFrameworkCore;
using QRCoder;
using WaIdentity.WaChannel.Persistence;

namespace WaIdentity.WaChannel.Device;

/// <param name="QrValue">The raw QR value while the device waits for a scan; <see cref="QrSvg"/> is it rendered.</param>
public sealed record DeviceOverview(
    bool Enabled, string Session, string Status, DateTimeOffset? StatusAt, string? AccountPhone, string? AccountName, bool ShouldRun,
    int RestartAttempts, string? QrValue, string? QrSvg, IReadOnlyList<DeviceEvent> RecentEvents, IReadOnlyList<DeviceAlert> OpenAlerts);

/// <summary>
/// What the admin portal needs for the linked device: its state with the QR to scan, the recent history and open
/// alerts, a pairing code, the gateway's screenshot, and start/stop/restart/logout (each recorded in the history).
/// </summary>
public sealed class DeviceAdmin(GatewayEndpoint endpoint, GatewayClient gateway, DeviceStateRecorder recorder, ChannelDbContext db)
{
    public async Task<DeviceOverview> GetOverviewAsync(CancellationToken ct)
    {
        if (!endpoint.IsActive) return new DeviceOverview(false, endpoint.Session, DeviceStatus.Unknown, null, null, null, false, 0, null, null, [], []);
        var state = await recorder.LoadAsync(ct);
        string? qr = null;
        if (state.Status == DeviceStatus.ScanQrCode)
        {
            try { qr = await gateway.GetQrValueAsync(ct); }
            catch (GatewayException) { }
        }
        var events = await db.Set<DeviceEvent>().AsNoTracking().Where(e => e.Session == endpoint.Session)
            .OrderByDescending(e => e.At).Take(50).ToListAsync(ct);
        var alerts = await db.Set<DeviceAlert>().AsNoTracking().Where(a => a.Session == endpoint.Session && a.ResolvedAt == null)
            .OrderByDescending(a => a.RaisedAt).ToListAsync(ct);
        return new DeviceOverview(true, state.Session, state.Status, state.StatusAt, state.AccountPhone, state.AccountName, state.ShouldRun,
            state.RestartAttempts, qr, qr is null ? null : RenderSvg(qr), events, alerts);
    }

    public static string RenderSvg(string value)
    {
        using var data = new QRCodeGenerator().CreateQrCode(value, QRCodeGenerator.ECCLevel.L);
        return new SvgQRCode(data).GetGraphic(4);
    }

    /// <summary>A code to type on the phone under "Link with phone number"; works only while a QR is on offer.</summary>
    public async Task<string> RequestPairingCodeAsync(string e164, CancellationToken ct)
    {
        if (!PhoneNumber.IsE164(e164)) throw new ArgumentException("The phone number must be E.164, like +6281234567890.", nameof(e164));
        var code = await gateway.RequestPairingCodeAsync(e164, ct);
        await recorder.RecordAsync("action", "pairing code requested", ct);
        return code;
    }

    public Task<byte[]?> GetScreenshotAsync(CancellationToken ct) => gateway.GetScreenshotAsync(ct);

    public Task StartAsync(CancellationToken ct) => ActAsync("start", true, ct);
    public Task RestartAsync(CancellationToken ct) => ActAsync("restart", true, ct);
    /// <summary>Unlinks the device; the gateway then offers a new QR, and the scan-needed alert follows.</summary>
    public Task LogoutAsync(CancellationToken ct) => ActAsync("logout", true, ct);
    /// <summary>Stops the device and tells the watchdog to leave it stopped.</summary>
    public Task StopAsync(CancellationToken ct) => ActAsync("stop", false, ct);

    private async Task ActAsync(string verb, bool shouldRun, CancellationToken ct)
    {
        var state = await recorder.LoadAsync(ct);
        state.ShouldRun = shouldRun;
        state.RestartAttempts = 0;
        state.NextRestartAt = null;
        await db.SaveChangesAsync(ct);
        if (verb == "start") await gateway.StartAsync(ct);
        else await gateway.ActAsync(verb, ct);
        await recorder.RecordAsync("action", $"admin {verb}", ct);
    }
}
