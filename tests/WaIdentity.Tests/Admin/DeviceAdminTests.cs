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

        await portal.PostAsync("/admin/device?handler=Start");
        await DeviceTestKit.OverviewWhenAsync(server, o => o.Status == DeviceStatus.ScanQrCode);
        var bad = await (await portal.PostAsync("/admin/device?handler=Pair", ("Phone", "0812"))).Content.ReadAsStringAsync();
        var page = await (await portal.PostAsync("/admin/device?handler=Pair", ("Phone", phone))).Content.ReadAsStringAsync();
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
        Assert.Contains("device.start", audit);
        Assert.Contains("device.pairing-code", audit);
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
