using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using QRCoder;
using WaIdentity.WaChannel.Configuration;
using WaIdentity.WaChannel.Persistence;

namespace WaIdentity.WaChannel.Device;

/// <param name="QrValue">The raw QR value while the device waits for a scan; <see cref="QrSvg"/> is it rendered.</param>
/// <param name="Qr">The QR's lifetime, or that a fresh one is being generated.</param>
public sealed record DeviceOverview(
    bool Enabled, string Session, string Status, DateTimeOffset? StatusAt, string? AccountPhone, string? AccountName, bool ShouldRun,
    int RestartAttempts, string? QrValue, string? QrSvg, IReadOnlyList<DeviceEvent> RecentEvents, IReadOnlyList<DeviceAlert> OpenAlerts,
    DeviceQr? Qr = null);

/// <summary>The device's QR: its value and lifetime; or, while a fresh one is being generated (starting, between two
/// codes, or a failed device the watchdog is about to restart), when to ask again; or neither: no scan is awaited.</summary>
public sealed record DeviceQr(string Status, string? Value, DateTimeOffset? ExpiresAt, int? LifetimeSeconds, int? RetryInSeconds)
{
    public bool Refreshing => RetryInSeconds is not null;
}

/// <summary>The session as the gateway reports it now.</summary>
public sealed record DeviceSession(string Name, string Status, string? AccountPhone, string? AccountName);

/// <summary>A pairing code, or (as for <see cref="DeviceQr"/>) when to ask again, or neither: no scan is awaited.</summary>
public sealed record DevicePairing(string Status, string? Code, int? RetryInSeconds);

/// <summary>
/// The linked device for the admin portal and the device API: its state with the QR to scan, the recent history and
/// open alerts, a pairing code, the gateway's screenshot, and start/stop/restart/logout (each recorded in the history,
/// and refused when the state does not allow it, see <see cref="DeviceActions"/>).
/// </summary>
public sealed class DeviceAdmin(
    GatewayEndpoint endpoint, DeviceGatewayClient gateway, DeviceStateRecorder recorder, ChannelDbContext db, IOptions<DeviceOptions> options,
    ChannelRuntime runtime, TimeProvider clock)
{
    /// <summary>WhatsApp's own QR lifetimes: the first code of a linking window lives 60 s, each next one 20 s.</summary>
    private static readonly TimeSpan FirstQr = TimeSpan.FromSeconds(60), NextQr = TimeSpan.FromSeconds(20);
    /// <summary>How soon to ask again while a code is being generated.</summary>
    private const int RefreshSeconds = 2;
    /// <summary>A watchdog restart due within this counts as "a fresh code is being generated".</summary>
    private static readonly TimeSpan RestartPromise = TimeSpan.FromSeconds(30);

    public bool IsActive => endpoint.IsActive;

    public async Task<DeviceOverview> GetOverviewAsync(CancellationToken ct)
    {
        if (!endpoint.IsActive) return new DeviceOverview(false, endpoint.Session, DeviceStatus.Unknown, null, null, null, false, 0, null, null, [], []);
        var state = await recorder.LoadAsync(ct);
        var qr = await QrForAsync(state.Status, state, ct);
        var events = await db.Set<DeviceEvent>().AsNoTracking().Where(e => e.Session == endpoint.Session)
            .OrderByDescending(e => e.At).Take(50).ToListAsync(ct);
        var alerts = await db.Set<DeviceAlert>().AsNoTracking().Where(a => a.Session == endpoint.Session && a.ResolvedAt == null)
            .OrderByDescending(a => a.RaisedAt).ToListAsync(ct);
        return new DeviceOverview(true, state.Session, state.Status, state.StatusAt, state.AccountPhone, state.AccountName, state.ShouldRun,
            state.RestartAttempts, qr.Value, qr.Value is null ? null : RenderSvg(qr.Value), events, alerts, qr);
    }

    /// <summary>The session as the gateway reports it now (STOPPED when it does not know it).</summary>
    public async Task<DeviceSession> GetSessionAsync(CancellationToken ct)
    {
        var live = await gateway.GetSessionAsync(ct);
        var phone = live?.Status == DeviceStatus.Working ? PhoneNumber.FromDigits(live.AccountId?.Split('@')[0]) : null;
        return new DeviceSession(endpoint.Session, live?.Status ?? DeviceStatus.Stopped, phone, phone is null ? null : live!.PushName);
    }

    /// <summary>The QR as the gateway offers it now, with its lifetime, or when to ask again.</summary>
    public async Task<DeviceQr> GetQrAsync(CancellationToken ct)
    {
        var session = await GetSessionAsync(ct);
        return await QrForAsync(session.Status, await recorder.LoadAsync(ct), ct);
    }

    public static string RenderSvg(string value)
    {
        using var data = new QRCodeGenerator().CreateQrCode(value, QRCodeGenerator.ECCLevel.L);
        return new SvgQRCode(data).GetGraphic(4);
    }

    public static byte[] RenderPng(string value)
    {
        using var data = new QRCodeGenerator().CreateQrCode(value, QRCodeGenerator.ECCLevel.L);
        return new PngByteQRCode(data).GetGraphic(6);
    }

    /// <summary>A code to type on the phone under "Link with phone number"; works only while a QR is on offer.</summary>
    public async Task<string> RequestPairingCodeAsync(string e164, CancellationToken ct)
    {
        if (!PhoneNumber.IsE164(e164)) throw new ArgumentException("The phone number must be E.164, like +6281234567890.", nameof(e164));
        var code = await gateway.RequestPairingCodeAsync(e164, ct);
        await recorder.RecordAsync("action", "pairing code requested", ct);
        return code;
    }

    /// <summary>As <see cref="RequestPairingCodeAsync"/>, but says when to ask again, or that no scan is awaited,
    /// instead of failing outside the QR window.</summary>
    public async Task<DevicePairing> TryRequestPairingCodeAsync(string e164, CancellationToken ct)
    {
        var qr = await GetQrAsync(ct);
        if (qr.Value is null) return new DevicePairing(qr.Status, null, qr.RetryInSeconds);
        try { return new DevicePairing(qr.Status, await RequestPairingCodeAsync(e164, ct), null); }
        catch (GatewayException e) when (e.Status == System.Net.HttpStatusCode.UnprocessableEntity)
        {
            // The window closed between the two calls: the next one is being generated.
            return new DevicePairing(qr.Status, null, RefreshSeconds);
        }
    }

    public Task<byte[]?> GetScreenshotAsync(CancellationToken ct) => gateway.GetScreenshotAsync(ct);

    public Task<DeviceActionResult> StartAsync(CancellationToken ct) => ActAsync(DeviceActions.Start, true, ct);
    public Task<DeviceActionResult> RestartAsync(CancellationToken ct) => ActAsync(DeviceActions.Restart, true, ct);
    /// <summary>Unlinks the device; the gateway then offers a new QR, and the scan-needed alert follows.</summary>
    public Task<DeviceActionResult> LogoutAsync(CancellationToken ct) => ActAsync(DeviceActions.Logout, true, ct);
    /// <summary>Stops the device and tells the watchdog to leave it stopped.</summary>
    public Task<DeviceActionResult> StopAsync(CancellationToken ct) => ActAsync(DeviceActions.Stop, false, ct);

    public Task<DeviceActionResult> ActAsync(string action, CancellationToken ct) => action switch
    {
        DeviceActions.Start => StartAsync(ct),
        DeviceActions.Stop => StopAsync(ct),
        DeviceActions.Restart => RestartAsync(ct),
        DeviceActions.Logout => LogoutAsync(ct),
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "start, stop, restart or logout"),
    };

    /// <remarks>Checked against the gateway's status now, not the recorded one: a page or an app may be a few seconds behind.</remarks>
    private async Task<DeviceActionResult> ActAsync(string verb, bool shouldRun, CancellationToken ct)
    {
        var before = (await GetSessionAsync(ct)).Status;
        if (!DeviceActions.For(before).Contains(verb)) return new DeviceActionResult(false, verb, before, before);
        var state = await recorder.LoadAsync(ct);
        state.ShouldRun = shouldRun;
        state.RestartAttempts = 0;
        // The watchdog holds off while this start is in flight: a round that read "stopped" just before it would
        // otherwise restart the device half-way through its start. Reaching a QR or WORKING clears the hold.
        state.NextRestartAt = shouldRun ? clock.GetUtcNow().AddSeconds(options.Value.RestartBaseSeconds) : null;
        await db.SaveChangesAsync(ct);
        if (verb == DeviceActions.Start) await gateway.StartAsync(ct);
        else await gateway.ActAsync(verb, ct);
        await recorder.RecordAsync("action", $"admin {verb}", ct);
        string after;
        try { after = (await GetSessionAsync(ct)).Status; }
        catch (GatewayException) { after = DeviceStatus.Unknown; }
        return new DeviceActionResult(true, verb, before, after);
    }

    private async Task<DeviceQr> QrForAsync(string status, DeviceState state, CancellationToken ct)
    {
        if (status == DeviceStatus.ScanQrCode)
        {
            string? value = null;
            try { value = await gateway.GetQrValueAsync(ct); }
            catch (GatewayException) { }
            if (value is null) return new DeviceQr(status, null, null, null, RefreshSeconds);
            var (expires, lifetime) = await LifetimeAsync(ct);
            return new DeviceQr(status, value, expires, (int)lifetime.TotalSeconds, null);
        }
        if (status == DeviceStatus.Starting) return new DeviceQr(status, null, null, null, RefreshSeconds);
        // A failed (or not yet polled) device the watchdog keeps running is restarted at its next round: a code follows
        // soon. When that is further away than an admin should wait, nothing is promised: the page says to press Restart.
        if (state.ShouldRun && status is DeviceStatus.Failed or DeviceStatus.Unknown)
        {
            var now = clock.GetUtcNow();
            var next = state.NextRestartAt > now ? state.NextRestartAt.Value - now : TimeSpan.FromSeconds(options.Value.WatchdogIntervalSeconds);
            if (next <= RestartPromise) return new DeviceQr(status, null, null, null, Math.Max(RefreshSeconds, (int)Math.Ceiling(next.TotalSeconds)));
        }
        return new DeviceQr(status, null, null, null, null);
    }

    /// <summary>
    /// When the current code expires and how long it lives: counted from the start of the linking window (the
    /// gateway's time of the SCAN_QR_CODE transition), the first code living longer than the next ones.
    /// </summary>
    private async Task<(DateTimeOffset Expires, TimeSpan Lifetime)> LifetimeAsync(CancellationToken ct)
    {
        var (first, next) = runtime.IsSandbox && options.Value.BaseUrl.Length == 0
            ? (TimeSpan.FromMilliseconds(options.Value.Emulator.FirstQrMilliseconds), TimeSpan.FromMilliseconds(options.Value.Emulator.NextQrMilliseconds))
            : (FirstQr, NextQr);
        var now = clock.GetUtcNow();
        var last = await db.Set<DeviceEvent>().AsNoTracking().Where(e => e.Session == endpoint.Session && e.Kind == "status")
            .OrderByDescending(e => e.At).FirstOrDefaultAsync(ct);
        var windowStart = last?.Detail == DeviceStatus.ScanQrCode && last.At <= now ? last.At : now;
        var firstEnds = windowStart + first;
        if (now < firstEnds) return (firstEnds, first);
        var passed = (long)Math.Floor((now - firstEnds) / next);
        return (firstEnds + next * (passed + 1), next);
    }
}
