using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.WaChannel.Device;
using WaIdentity.WaChannel.Persistence;

namespace WaIdentity.Tests.Device;

/// <summary>The device tests' common steps: fast gateway timings, the admin service, acting as the business phone.</summary>
public static class DeviceTestKit
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(25);

    /// <summary>The real gateway's timings shrunk (QR 6 s then 4 s, three of them) and the fastest allowed watchdog.</summary>
    public static Dictionary<string, string?> Settings(params (string Key, string? Value)[] extra)
    {
        var settings = Channel.ChannelTestKit.Settings();
        settings["Channel:Device:Enabled"] = "true";
        settings["Channel:Device:WatchdogIntervalSeconds"] = "2";
        settings["Channel:Device:RestartBaseSeconds"] = "1";
        // A busy test machine can take many seconds for one emulator call; the shipped 15 s is for a real gateway.
        settings["Channel:Device:RequestTimeoutSeconds"] = "50";
        settings["Channel:Device:Emulator:StartDelayMilliseconds"] = "200";
        settings["Channel:Device:Emulator:FirstQrMilliseconds"] = "6000";
        settings["Channel:Device:Emulator:NextQrMilliseconds"] = "4000";
        settings["Channel:Device:Emulator:QrCount"] = "3";
        settings["Channel:Device:Emulator:LinkDelayMilliseconds"] = "200";
        foreach (var (k, v) in extra) settings[k] = v;
        return settings;
    }

    public static Task<DeviceOverview> OverviewAsync(IdpTestServer server) =>
        server.InScopeAsync(sp => sp.GetRequiredService<DeviceAdmin>().GetOverviewAsync(CancellationToken.None));

    public static Task<DeviceOverview> OverviewWhenAsync(IdpTestServer server, Func<DeviceOverview, bool> done) =>
        Eventually.ValueAsync(() => OverviewAsync(server), done, Patience);

    public static Task AdminAsync(IdpTestServer server, Func<DeviceAdmin, Task> action) =>
        server.InScopeAsync(async sp => { await action(sp.GetRequiredService<DeviceAdmin>()); return 0; });

    /// <summary>Starts the device, scans the QR the admin sees with the simulated phone, and waits for WORKING.</summary>
    public static async Task<DeviceOverview> PairByQrAsync(IdpTestServer server, string phone)
    {
        await AdminAsync(server, a => a.StartAsync(CancellationToken.None));
        using var client = server.CreateClient();
        var scanned = HttpStatusCode.Conflict;
        // A QR can rotate between reading and scanning it (as for a person); then scan the new one, as they would.
        for (var attempt = 0; attempt < 3 && scanned == HttpStatusCode.Conflict; attempt++)
        {
            var waiting = await OverviewWhenAsync(server, o => o.QrValue is not null);
            using var scan = await client.PostAsJsonAsync("/dev/inbox/api/device/scan", new { phone, qr = waiting.QrValue });
            scanned = scan.StatusCode;
        }
        Assert.Equal(HttpStatusCode.Accepted, scanned);
        return await OverviewWhenAsync(server, o => o.Status == DeviceStatus.Working);
    }

    public static Task<List<string>> StatusHistoryAsync(IdpTestServer server) =>
        server.InScopeAsync(sp => sp.GetRequiredService<ChannelDbContext>().Set<DeviceEvent>().AsNoTracking()
            .Where(e => e.Kind == "status").OrderBy(e => e.At).Select(e => e.Detail).ToListAsync());

    public static Task<List<DeviceEvent>> EventsAsync(IdpTestServer server) =>
        server.InScopeAsync(sp => sp.GetRequiredService<ChannelDbContext>().Set<DeviceEvent>().AsNoTracking().OrderBy(e => e.At).ToListAsync());
}
