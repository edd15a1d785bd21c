using System.Net;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.WaChannel.Device;
using static WaIdentity.Tests.Device.DeviceTestKit;

namespace WaIdentity.Tests.Device;

/// <summary>The watchdog brings a dropped device back, asks an admin for a scan when the link is gone, and respects a stop.</summary>
public sealed class WatchdogTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_dropped_connection_is_restarted_by_the_watchdog_and_works_again_without_a_scan(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var server = await IdpTestServer.StartAsync(db, Settings());
        using var client = server.CreateClient();
        var phone = Channel.ChannelTestKit.NewPhone();
        await PairByQrAsync(server, phone);

        using var disconnect = await client.PostAsync("/dev/inbox/api/device/disconnect", null);
        await Eventually.ValueAsync(() => StatusHistoryAsync(server), h => h.Contains(DeviceStatus.Failed), Patience);
        var events = await Eventually.ValueAsync(() => EventsAsync(server),
            e => e.SkipWhile(x => x.Detail != DeviceStatus.Failed).Any(x => x.Detail == DeviceStatus.Working), Patience);

        Assert.Equal(HttpStatusCode.Accepted, disconnect.StatusCode);
        var afterFailure = events.SkipWhile(x => x.Detail != DeviceStatus.Failed).ToList();
        Assert.Contains(afterFailure, e => e.Kind == "action" && e.Detail.StartsWith("watchdog restart", StringComparison.Ordinal));
        Assert.DoesNotContain(afterFailure, e => e.Detail == DeviceStatus.ScanQrCode);
        var overview = await OverviewAsync(server);
        Assert.Equal(DeviceStatus.Working, overview.Status);
        Assert.Equal(phone, overview.AccountPhone);
        Assert.Empty(overview.OpenAlerts);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_logout_shows_a_new_QR_and_raises_the_scan_alert(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var server = await IdpTestServer.StartAsync(db, Settings());
        await PairByQrAsync(server, Channel.ChannelTestKit.NewPhone());

        await AdminAsync(server, a => a.LogoutAsync(CancellationToken.None));
        var overview = await OverviewWhenAsync(server, o => o.Status == DeviceStatus.ScanQrCode && o.QrValue is not null);

        Assert.Null(overview.AccountPhone);
        var alert = Assert.Single(overview.OpenAlerts);
        Assert.Equal(DeviceAlert.ScanNeeded, alert.Kind);
        Assert.Contains("scan", alert.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(overview.RecentEvents, e => e.Detail == "admin logout");
    }

    [Fact]
    public async Task A_device_removed_on_the_phone_is_restarted_into_a_new_QR_with_the_alert()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, Settings());
        using var client = server.CreateClient();
        await PairByQrAsync(server, Channel.ChannelTestKit.NewPhone());

        (await client.PostAsync("/dev/inbox/api/device/unlink", null)).EnsureSuccessStatusCode();
        var overview = await OverviewWhenAsync(server, o => o.Status == DeviceStatus.ScanQrCode && o.OpenAlerts.Count == 1);

        Assert.Equal(DeviceStatus.ScanQrCode, overview.Status);
        Assert.Contains(overview.RecentEvents, e => e.Detail.StartsWith("watchdog restart", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_device_an_admin_stopped_stays_stopped()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, Settings());
        await PairByQrAsync(server, Channel.ChannelTestKit.NewPhone());

        await AdminAsync(server, a => a.StopAsync(CancellationToken.None));
        await OverviewWhenAsync(server, o => o.Status == DeviceStatus.Stopped);
        await Task.Delay(TimeSpan.FromSeconds(5)); // two watchdog rounds

        var overview = await OverviewAsync(server);
        Assert.Equal(DeviceStatus.Stopped, overview.Status);
        Assert.False(overview.ShouldRun);
        Assert.DoesNotContain(overview.RecentEvents, e => e.Detail.StartsWith("watchdog restart", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_watchdog_never_polls_more_often_than_every_two_seconds()
    {
        var settings = new Dictionary<string, string?> { ["Channel:Device:WatchdogIntervalSeconds"] = "1" };
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        foreach (var (k, v) in db.Settings) settings[k] = v;

        var result = await IdpProcess.RunAsync([], settings);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Channel:Device:WatchdogIntervalSeconds: must be between 2 and 3600 (was 1)", result.StdErr);
    }
}
