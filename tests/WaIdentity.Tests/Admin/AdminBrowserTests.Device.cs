using System.Net.Http.Json;
using Microsoft.Playwright;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Device;
using WaIdentity.Tests.Infrastructure;

namespace WaIdentity.Tests.Admin;

/// <summary>The device page's buttons on a paired device, and the QR that rotates on the open page.</summary>
public sealed partial class AdminBrowserTests
{
    [Fact]
    public async Task Stop_start_restart_and_logout_on_the_device_page_change_what_it_shows()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, DeviceTestKit.Settings());
        await DeviceTestKit.PairByQrAsync(server, Channel.ChannelTestKit.NewPhone());
        var admin = await AdminPageAsync(server);
        await admin.GotoAsync(Url(server, "/admin/device"));
        await admin.WaitForSelectorAsync("#device-status:has-text('WORKING')", Patience);

        await admin.ClickAsync("#device-stop");
        await admin.WaitForSelectorAsync("#device-status:has-text('STOPPED')", Patience);

        await admin.ClickAsync("#device-start");
        await admin.WaitForSelectorAsync("#device-status:has-text('WORKING')", Patience);

        var before = (await DeviceTestKit.StatusHistoryAsync(server)).Count;
        await admin.ClickAsync("#device-restart");
        await admin.WaitForSelectorAsync("#device-status:has-text('WORKING')", Patience);
        // WORKING before and after: the status history shows the session really went down and came back.
        var history = await Eventually.ValueAsync(() => DeviceTestKit.StatusHistoryAsync(server), h => h.Count >= before + 2, DeviceTestKit.Patience);
        Assert.Equal("WORKING", history[^1]);
        Assert.True(await admin.IsHiddenAsync("#qr-box"));

        await admin.ClickAsync("#device-logout");
        await admin.WaitForSelectorAsync("#device-qr[src^='data:image/svg+xml']", new() { State = WaitForSelectorState.Visible });
        await admin.WaitForSelectorAsync("#scan-alert", new() { State = WaitForSelectorState.Visible });
        Assert.Equal("SCAN_QR_CODE", await admin.InnerTextAsync("#device-status"));
    }

    [Fact]
    public async Task A_rotated_QR_replaces_the_old_one_on_the_open_page_without_a_reload()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, DeviceTestKit.Settings(
            ("Channel:Device:Emulator:FirstQrMilliseconds", "3000"), ("Channel:Device:Emulator:NextQrMilliseconds", "3000"),
            ("Channel:Device:Emulator:QrCount", "6"),
            // The admin starts it: a watchdog starting it first would hide the Start button before the click.
            ("Channel:Device:WatchdogIntervalSeconds", "3600")));
        var admin = await AdminPageAsync(server);
        await admin.GotoAsync(Url(server, "/admin/device"));
        await admin.ClickAsync("#device-start");
        var first = await (await admin.WaitForSelectorAsync("#device-qr[src^='data:image/svg+xml']",
            new() { State = WaitForSelectorState.Visible }))!.GetAttributeAsync("src");
        // Marks this document: a reload would lose it, so seeing it later proves the page's script did the update.
        await admin.EvaluateAsync("() => window.__samePage = true");

        var changed = await admin.WaitForFunctionAsync(
            "old => { const src = document.getElementById('device-qr').getAttribute('src'); return src && src.startsWith('data:image/svg+xml') && src !== old ? src : null; }",
            first, new() { PollingInterval = 250 });
        var second = await changed.JsonValueAsync<string>();

        Assert.NotEqual(first, second);
        // The countdown follows the codes' real lifetime (3 s here, as the server counts it), not a fixed 30 s.
        var left = await (await admin.WaitForFunctionAsync(
            "() => { const known = document.getElementById('qr-known'), due = document.getElementById('qr-due'); " +
            "if (!known.hidden) return parseInt(document.getElementById('qr-countdown').textContent, 10); return due.hidden ? null : 0; }",
            null, new() { PollingInterval = 250 })).JsonValueAsync<int>();
        Assert.InRange(left, 0, 5);
        Assert.True(await admin.IsHiddenAsync("#qr-unknown"));
        Assert.True(await admin.EvaluateAsync<bool>("() => window.__samePage === true"));
        Assert.True(await admin.IsVisibleAsync("#qr-box"));
        var overview = await DeviceTestKit.OverviewAsync(server);
        Assert.Equal("SCAN_QR_CODE", overview.Status);
    }

    [Fact]
    public async Task The_QR_countdown_shows_each_codes_real_lifetime_and_a_fresh_code_is_announced_while_it_is_generated()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        // The emulated gateway runs on the app's clock: STARTING for ten minutes, longer than any wait here, so only moving
        // the clock ends it; then a first code of 12 s and next ones of 4 s (the real gateway's 60 s and 20 s, shrunk).
        var (starting, firstCode, nextCode) = (TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(12), TimeSpan.FromSeconds(4));
        await using var server = await IdpTestServer.StartAsync(db, DeviceTestKit.Settings(
            ("Channel:Device:Emulator:StartDelayMilliseconds", ((int)starting.TotalMilliseconds).ToString()), ("Channel:Device:Emulator:FirstQrMilliseconds", "12000"),
            ("Channel:Device:Emulator:NextQrMilliseconds", "4000"), ("Channel:Device:Emulator:QrCount", "6")));
        await DeviceTestKit.OverviewWhenAsync(server, o => o.Status == "STARTING");
        server.Clock.Advance(starting);
        await DeviceTestKit.OverviewWhenAsync(server, o => o.Status == "SCAN_QR_CODE");
        var admin = await AdminPageAsync(server);
        await admin.GotoAsync(Url(server, "/admin/device"));

        await admin.ClickAsync("#device-restart");
        // While the gateway starts there is no code yet: the page says one is being generated, not that something failed.
        await Assertions.Expect(admin.Locator("#qr-refreshing")).ToBeVisibleAsync();
        await Assertions.Expect(admin.Locator("#qr-refreshing")).ToContainTextAsync("Generating a fresh code");
        Assert.True(await admin.IsHiddenAsync("#scan-later"));
        Assert.True(await admin.IsHiddenAsync("#device-error"));

        server.Clock.Advance(starting);
        var first = await (await admin.WaitForSelectorAsync("#device-qr[src^='data:image/svg+xml']",
            new() { State = WaitForSelectorState.Visible }))!.GetAttributeAsync("src");
        await Assertions.Expect(admin.Locator("#qr-refreshing")).ToBeHiddenAsync();
        await Assertions.Expect(admin.Locator("#qr-known")).ToBeVisibleAsync();
        // At most the code's own 12 s (a fixed 30 s countdown would show more).
        Assert.InRange(int.Parse(await admin.InnerTextAsync("#qr-countdown")), 0, 12);

        server.Clock.Advance(firstCode);
        await admin.WaitForFunctionAsync("old => document.getElementById('device-qr').getAttribute('src') !== old", first,
            new() { PollingInterval = 250 });
        var next = await (await admin.WaitForFunctionAsync(
            "() => { const k = document.getElementById('qr-known'); return k.hidden ? null : parseInt(document.getElementById('qr-countdown').textContent, 10); }",
            null, new() { PollingInterval = 250 })).JsonValueAsync<int>();
        // The next code lives 4 s, and the page says so: not the first code's 12 s again.
        Assert.InRange(next, 0, (int)nextCode.TotalSeconds);
    }

    /// <summary>The buttons the page shows for the device's state, in page order.</summary>
    private static async Task<string[]> ActionsShownAsync(IPage page) =>
        (await page.EvalOnSelectorAllAsync<string[]>("#device-actions form", "fs => fs.filter(f => !f.hidden && f.offsetParent !== null).map(f => f.dataset.action)"))
        .Order().ToArray();

    [Fact]
    public async Task The_device_page_offers_only_what_the_state_allows_and_drops_the_pairing_code_once_linked()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, DeviceTestKit.Settings(
            ("Channel:Device:Emulator:FirstQrMilliseconds", "60000"), ("Channel:Device:Emulator:NextQrMilliseconds", "60000"),
            // The admin starts it: a watchdog starting it first would hide the Start button before the click.
            ("Channel:Device:WatchdogIntervalSeconds", "3600")));
        var admin = await AdminPageAsync(server);
        await admin.GotoAsync(Url(server, "/admin/device"));
        await admin.ClickAsync("#device-start");
        await admin.WaitForSelectorAsync("#device-qr[src^='data:image/svg+xml']", new() { State = WaitForSelectorState.Visible });
        await admin.WaitForSelectorAsync("#scan-below", new() { State = WaitForSelectorState.Visible });
        await Assertions.Expect(admin.Locator("#device-actions form:visible")).ToHaveCountAsync(2);
        Assert.Equal(["restart", "stop"], await ActionsShownAsync(admin));

        var phone = Channel.ChannelTestKit.NewPhone();
        await admin.FillAsync("#pair-phone", phone);
        await admin.ClickAsync("#pair");
        var code = await (await admin.WaitForSelectorAsync("#pairing-code", Patience))!.InnerTextAsync();
        using var client = server.CreateClient();
        var typed = await client.PostAsJsonAsync("/dev/inbox/api/device/pair", new { code });
        Assert.True(typed.IsSuccessStatusCode, await typed.Content.ReadAsStringAsync());

        // No reload: once linked, the used pairing code is gone and Log out is offered, Start is not.
        await admin.WaitForSelectorAsync("#device-status:has-text('WORKING')", Patience);
        await Assertions.Expect(admin.Locator("#pairing-code")).ToHaveCountAsync(0);
        await Assertions.Expect(admin.Locator("#device-actions form:visible")).ToHaveCountAsync(3);
        Assert.Equal(["logout", "restart", "stop"], await ActionsShownAsync(admin));

        await admin.ClickAsync("#device-stop");
        await admin.WaitForSelectorAsync("#device-status:has-text('STOPPED')", Patience);
        Assert.Equal(["start"], await ActionsShownAsync(admin));
    }

    [Fact]
    public async Task A_device_that_failed_without_a_QR_says_why_and_offers_a_restart_not_a_scan()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        // One QR (5 s) nobody scans: the gateway then fails; the watchdog is slow enough to leave it FAILED.
        await using var server = await IdpTestServer.StartAsync(db, DeviceTestKit.Settings(
            ("Channel:Device:Emulator:FirstQrMilliseconds", "5000"), ("Channel:Device:Emulator:QrCount", "1"),
            ("Channel:Device:WatchdogIntervalSeconds", "3600"), ("Channel:Device:RestartBaseSeconds", "3600"),
            ("Channel:Device:RestartMaxSeconds", "3600")));
        var admin = await AdminPageAsync(server);
        await admin.GotoAsync(Url(server, "/admin/device"));
        await DeviceTestKit.AdminAsync(server, a => a.StartAsync(CancellationToken.None));
        // First the QR with its alert ("scan below"), then the gateway gives up: the alert stays open without a QR.
        await admin.WaitForSelectorAsync("#scan-below", new() { State = WaitForSelectorState.Visible, Timeout = 20000 });
        await admin.WaitForSelectorAsync("#device-status:has-text('FAILED')", Patience);

        await admin.WaitForSelectorAsync("#device-failed", new() { State = WaitForSelectorState.Visible });
        Assert.NotEmpty((await admin.InnerTextAsync("#device-reason")).Trim());
        Assert.True(await admin.IsHiddenAsync("#qr-box"));
        Assert.True(await admin.IsHiddenAsync("#scan-below"));
        Assert.True(await admin.IsVisibleAsync("#scan-later"));
        await Assertions.Expect(admin.Locator("#device-actions form:visible")).ToHaveCountAsync(2);
        Assert.Equal(["restart", "stop"], await ActionsShownAsync(admin));

        // The same on a fresh load of the page.
        await admin.ReloadAsync();
        Assert.True(await admin.IsVisibleAsync("#device-failed"));
        Assert.Equal(["restart", "stop"], await ActionsShownAsync(admin));
    }
}
