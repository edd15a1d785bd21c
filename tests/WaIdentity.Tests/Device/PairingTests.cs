using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.WaChannel.Device;
using static WaIdentity.Tests.Device.DeviceTestKit;

namespace WaIdentity.Tests.Device;

/// <summary>Linking the business number to the sandbox gateway, by QR and by pairing code, with the gateway's timing.</summary>
public sealed class PairingTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Scanning_the_QR_the_admin_sees_links_the_device_and_clears_the_scan_alert(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var server = await IdpTestServer.StartAsync(db, Settings());
        var phone = Channel.ChannelTestKit.NewPhone();

        await AdminAsync(server, a => a.StartAsync(CancellationToken.None));
        var waiting = await OverviewWhenAsync(server, o => o.QrValue is not null && o.OpenAlerts.Count > 0);
        var working = await PairByQrAsync(server, phone);

        Assert.Equal(DeviceStatus.ScanQrCode, waiting.Status);
        Assert.Equal(4, waiting.QrValue!.Split(',').Length);
        Assert.Contains("<svg", waiting.QrSvg);
        Assert.Equal(DeviceAlert.ScanNeeded, Assert.Single(waiting.OpenAlerts).Kind);
        Assert.Equal(DeviceStatus.Working, working.Status);
        Assert.Equal(phone, working.AccountPhone);
        Assert.Null(working.QrValue);
        Assert.Empty(working.OpenAlerts);
        Assert.Equal([DeviceStatus.Starting, DeviceStatus.ScanQrCode, DeviceStatus.Working], (await StatusHistoryAsync(server)).SkipWhile(s => s != DeviceStatus.Starting).Distinct());
    }

    [Fact]
    public async Task A_stale_QR_does_not_link_but_the_pairing_code_does()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, Settings());
        using var client = server.CreateClient();
        var phone = Channel.ChannelTestKit.NewPhone();
        await AdminAsync(server, a => a.StartAsync(CancellationToken.None));
        await OverviewWhenAsync(server, o => o.QrValue is not null);

        using var staleScan = await client.PostAsJsonAsync("/dev/inbox/api/device/scan", new { phone, qr = "2@old,AAAA,BBBB,CCCC" });
        var code = await server.InScopeAsync(sp => sp.GetRequiredService<DeviceAdmin>().RequestPairingCodeAsync(phone, CancellationToken.None));
        using var wrong = await client.PostAsJsonAsync("/dev/inbox/api/device/pair", new { code = "ZZZZ-ZZZZ" });
        using var right = await client.PostAsJsonAsync("/dev/inbox/api/device/pair", new { code });
        var working = await OverviewWhenAsync(server, o => o.Status == DeviceStatus.Working);

        Assert.Equal(HttpStatusCode.Conflict, staleScan.StatusCode);
        Assert.Matches("^[1-9A-HJ-NP-TV-Z]{4}-[1-9A-HJ-NP-TV-Z]{4}$", code);
        Assert.Equal(HttpStatusCode.Conflict, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, right.StatusCode);
        Assert.Equal(DeviceStatus.Working, working.Status);
        Assert.Equal(phone, working.AccountPhone);
    }

    [Fact]
    public async Task The_QR_rotates_and_after_the_last_one_the_gateway_fails_and_the_pairing_code_dies_with_the_window()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, Settings(
            ("Channel:Device:Emulator:FirstQrMilliseconds", "1500"), ("Channel:Device:Emulator:NextQrMilliseconds", "800"),
            ("Channel:Device:RestartBaseSeconds", "60")));
        using var client = server.CreateClient();
        var phone = Channel.ChannelTestKit.NewPhone();

        var beforeStart = await Record.ExceptionAsync(() => server.InScopeAsync(sp => sp.GetRequiredService<DeviceAdmin>().RequestPairingCodeAsync(phone, CancellationToken.None)));
        await AdminAsync(server, a => a.StartAsync(CancellationToken.None));
        var first = (await OverviewWhenAsync(server, o => o.QrValue is not null)).QrValue;
        var code = await server.InScopeAsync(sp => sp.GetRequiredService<DeviceAdmin>().RequestPairingCodeAsync(phone, CancellationToken.None));
        var second = (await OverviewWhenAsync(server, o => o.QrValue is not null && o.QrValue != first)).QrValue;
        await Eventually.ValueAsync(() => StatusHistoryAsync(server), h => h.Contains(DeviceStatus.Failed), Patience);
        using var late = await client.PostAsJsonAsync("/dev/inbox/api/device/pair", new { code });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, Assert.IsType<GatewayException>(beforeStart).Status);
        Assert.NotEqual(first, second);
        Assert.Contains(DeviceStatus.Failed, await StatusHistoryAsync(server));
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.NotEqual(DeviceStatus.Working, (await OverviewAsync(server)).Status);
    }

    [Fact]
    public async Task The_gateway_API_refuses_a_wrong_api_key()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, Settings());
        using var client = server.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", "wrong");

        using var response = await client.GetAsync("/sandbox/gateway/api/sessions/default");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Unauthorized", JsonNode.Parse(await response.Content.ReadAsStringAsync())?["message"]?.GetValue<string>());
    }
}
