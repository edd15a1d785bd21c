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
    public async Task After_a_logout_nobody_scans_and_a_fresh_QR_still_follows_each_expired_window_within_seconds()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        // One short QR per window, and a restart backoff far beyond the patience: a watchdog that counted each expired
        // window as a failed restart would leave the device FAILED without a QR for a minute from the second window on.
        await using var server = await IdpTestServer.StartAsync(db, Settings(
            ("Channel:Device:Emulator:FirstQrMilliseconds", "2000"), ("Channel:Device:Emulator:QrCount", "1"),
            ("Channel:Device:RestartBaseSeconds", "60"), ("Channel:Device:RestartMaxSeconds", "600")));
        await PairByQrAsync(server, Channel.ChannelTestKit.NewPhone());
        await AdminAsync(server, a => a.LogoutAsync(CancellationToken.None));

        for (var window = 1; window <= 3; window++)
        {
            await Eventually.ValueAsync(() => StatusesSinceLogoutAsync(server), h => h.Count(s => s == DeviceStatus.Failed) >= window, Patience);
            var fresh = await Eventually.ValueAsync(() => StatusesSinceLogoutAsync(server), h => h.Count(s => s == DeviceStatus.ScanQrCode) > window, Patience);
            Assert.True(fresh.Count(s => s == DeviceStatus.ScanQrCode) > window, $"window {window}: {string.Join(", ", fresh)}");
        }
        var overview = await OverviewAsync(server);
        Assert.InRange(overview.RestartAttempts, 0, 1);
        // Between two windows the device is never left without a word: a code is on offer or being generated.
        Assert.True(overview.QrValue is not null || overview.Qr?.Refreshing == true, overview.Status);
    }

    private static async Task<List<string>> StatusesSinceLogoutAsync(IdpTestServer server) =>
        (await EventsAsync(server)).SkipWhile(e => e.Detail != "admin logout").Where(e => e.Kind == "status").Select(e => e.Detail).ToList();

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
        var stoppedAt = (await OverviewWhenAsync(server, o => o.Status == DeviceStatus.Stopped)).StatusAt ?? DateTimeOffset.MinValue;
        await Channel.ChannelTestKit.JobRunsAsync(server, DeviceWatchdogJob.Name, 2); // two watchdog rounds

        var overview = await OverviewAsync(server);
        Assert.Equal(DeviceStatus.Stopped, overview.Status);
        Assert.False(overview.ShouldRun);
        // Only what came after the stop counts: while pairing, a watchdog round may meet the start half done.
        Assert.DoesNotContain(overview.RecentEvents, e => e.At >= stoppedAt && e.Detail.StartsWith("watchdog restart", StringComparison.Ordinal));
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
