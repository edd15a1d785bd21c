using System.Net;
using System.Text.RegularExpressions;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.WaChannel.Device;
using static WaIdentity.Tests.Device.DeviceTestKit;

namespace WaIdentity.Tests.Device;

/// <summary>A developer links the sandbox device from the dev inbox page, as they would with a phone.</summary>
public sealed class DevInboxDeviceTests
{
    [Fact]
    public async Task The_dev_inbox_shows_the_QR_and_its_scan_form_links_the_device()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, Settings());
        using var client = server.CreateClient();
        var phone = Channel.ChannelTestKit.NewPhone();
        await AdminAsync(server, a => a.StartAsync(CancellationToken.None));
        await OverviewWhenAsync(server, o => o.QrValue is not null);

        var page = await client.GetStringAsync("/dev/inbox");
        var token = Regex.Match(page, "name=\"(?<n>[^\"]+)\" value=\"(?<v>[^\"]+)\"");
        using var forged = await client.PostAsync("/dev/inbox/device", new FormUrlEncodedContent(
            new Dictionary<string, string> { ["action"] = "scan", ["phone"] = phone }));
        using var scan = await client.PostAsync("/dev/inbox/device", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [token.Groups["n"].Value] = WebUtility.HtmlDecode(token.Groups["v"].Value), ["action"] = "scan", ["phone"] = phone,
        }));
        var working = await OverviewWhenAsync(server, o => o.Status == DeviceStatus.Working);

        Assert.Contains("SCAN_QR_CODE", page);
        Assert.Contains("<svg", page);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, scan.StatusCode);
        Assert.Equal(DeviceStatus.Working, working.Status);
        Assert.Equal(phone, working.AccountPhone);
        Assert.Contains("WORKING", await client.GetStringAsync("/dev/inbox"));
    }
}
