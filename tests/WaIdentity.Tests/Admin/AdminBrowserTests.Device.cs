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
        await admin.WaitForSelectorAsync("#device-qr[src^='data:image/svg+xml']", new() { State = WaitForSelectorState.Visible, Timeout = 20000 });
        await admin.WaitForSelectorAsync("#scan-alert", new() { State = WaitForSelectorState.Visible, Timeout = 20000 });
        Assert.Equal("SCAN_QR_CODE", await admin.InnerTextAsync("#device-status"));
    }

    [Fact]
    public async Task A_rotated_QR_replaces_the_old_one_on_the_open_page_without_a_reload()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, DeviceTestKit.Settings(
            ("Channel:Device:Emulator:FirstQrMilliseconds", "3000"), ("Channel:Device:Emulator:NextQrMilliseconds", "3000"),
            ("Channel:Device:Emulator:QrCount", "6")));
        var admin = await AdminPageAsync(server);
        await admin.GotoAsync(Url(server, "/admin/device"));
        await admin.ClickAsync("#device-start");
        var first = await (await admin.WaitForSelectorAsync("#device-qr[src^='data:image/svg+xml']",
            new() { State = WaitForSelectorState.Visible, Timeout = 20000 }))!.GetAttributeAsync("src");
        // Marks this document: a reload would lose it, so seeing it later proves the page's script did the update.
        await admin.EvaluateAsync("() => window.__samePage = true");

        var changed = await admin.WaitForFunctionAsync(
            "old => { const src = document.getElementById('device-qr').getAttribute('src'); return src && src.startsWith('data:image/svg+xml') && src !== old ? src : null; }",
            first, new() { Timeout = 20000, PollingInterval = 250 });
        var second = await changed.JsonValueAsync<string>();

        Assert.NotEqual(first, second);
        Assert.True(await admin.EvaluateAsync<bool>("() => window.__samePage === true"));
        Assert.True(await admin.IsVisibleAsync("#qr-box"));
        var overview = await DeviceTestKit.OverviewAsync(server);
        Assert.Equal("SCAN_QR_CODE", overview.Status);
    }
}
