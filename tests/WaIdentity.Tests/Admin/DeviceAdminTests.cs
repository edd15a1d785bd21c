using System.Text.RegularExpressions;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Device;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.WaChannel.Device;

namespace WaIdentity.Tests.Admin;

/// <summary>The device page's forms: a pairing code that links the device, audited actions, the page when the device is off.</summary>
public sealed class DeviceAdminTests
{
    [Fact]
    public async Task The_pairing_code_shown_on_the_page_links_the_device_and_actions_are_audited()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, DeviceTestKit.Settings());
        using var portal = await AdminPortal.SignInAsync(server);
        var phone = Channel.ChannelTestKit.NewPhone();

        // The watchdog starts the enabled device by itself; the admin restarts it for a new code.
        await DeviceTestKit.OverviewWhenAsync(server, o => o.Status == DeviceStatus.ScanQrCode);
        await portal.PostAsync("/admin/device?handler=Restart");
        await DeviceTestKit.OverviewWhenAsync(server, o => o.Status == DeviceStatus.ScanQrCode);
        var bad = await (await portal.PostAsync("/admin/device?handler=Pair", ("Phone", "0812"))).Content.ReadAsStringAsync();
        // The overview may still show the code screen from before the restart: the admin asks until the device
        // (STARTING, then SCAN_QR_CODE again) gives a pairing code, as a person would press the button again.
        var page = await Eventually.ValueAsync(
            async () => await (await portal.PostAsync("/admin/device?handler=Pair", ("Phone", phone))).Content.ReadAsStringAsync(),
            p => Regex.IsMatch(p, "id=\"pairing-code\">[^<]+<"), Channel.ChannelTestKit.Patience);
        var code = Regex.Match(page, "id=\"pairing-code\">([^<]+)<").Groups[1].Value;
        using var phoneApp = server.CreateClient();
        var pair = await phoneApp.PostAsync("/dev/inbox/api/device/pair",
            new StringContent($"{{\"code\":\"{code}\"}}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Contains("international form", bad);
        Assert.True(pair.IsSuccessStatusCode, code);
        var working = await DeviceTestKit.OverviewWhenAsync(server, o => o.Status == DeviceStatus.Working);
        Assert.Equal(phone, working.AccountPhone);
        Assert.Contains(DeviceStatus.Working, await portal.GetAsync("/admin/device"));
        var audit = await portal.GetAsync("/admin/audit");
        Assert.Contains("device.restart", audit);
        Assert.Contains("device.pairing-code", audit);
    }

    [Fact]
    public async Task Actions_the_state_does_not_allow_are_refused_by_the_server_with_what_is_possible()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, DeviceTestKit.Settings());
        using var portal = await AdminPortal.SignInAsync(server);
        await DeviceTestKit.OverviewWhenAsync(server, o => o.Status == DeviceStatus.ScanQrCode);
        await portal.PostAsync("/admin/device?handler=Stop");
        await DeviceTestKit.OverviewWhenAsync(server, o => o.Status == DeviceStatus.Stopped);

        // A stale page or a hand-made POST: the buttons are hidden, the server must refuse too.
        var logout = await portal.PostAsync("/admin/device?handler=Logout");
        var page = await logout.Content.ReadAsStringAsync();
        var stop = await portal.PostAsync("/admin/device?handler=Stop");

        Assert.Equal(System.Net.HttpStatusCode.Conflict, logout.StatusCode);
        Assert.Contains("Log out (unlink) is not possible while the device is STOPPED. Possible now: Start.", System.Net.WebUtility.HtmlDecode(page));
        Assert.Equal(System.Net.HttpStatusCode.Conflict, stop.StatusCode);
        var overview = await DeviceTestKit.OverviewAsync(server);
        Assert.DoesNotContain(overview.RecentEvents, e => e.Detail is "admin logout");
        Assert.Single(overview.RecentEvents, e => e.Detail is "admin stop");
        Assert.DoesNotContain("device.logout", await portal.GetAsync("/admin/audit"));
        var started = await server.InScopeAsync(sp => sp.GetRequiredService<DeviceAdmin>().StartAsync(CancellationToken.None));
        Assert.True(started.Done);
        var again = await server.InScopeAsync(sp => sp.GetRequiredService<DeviceAdmin>().StartAsync(CancellationToken.None));
        Assert.False(again.Done);
        Assert.Equal(["stop", "restart"], again.Allowed);
    }

    [Fact]
    public async Task With_the_device_off_the_page_says_how_to_turn_it_on()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db);
        using var portal = await AdminPortal.SignInAsync(server);

        var page = await portal.GetAsync("/admin/device");

        Assert.Contains("id=\"device-off\"", page);
        Assert.Contains("Channel:Device:Enabled", page);
        Assert.DoesNotContain("device-start", page);
    }
}
