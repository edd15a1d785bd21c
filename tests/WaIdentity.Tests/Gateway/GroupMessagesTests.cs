using System.Net.Http.Json;
using System.Text.Json;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Channel;
using WaIdentity.Tests.Device;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.WaChannel.Codes;
using WaIdentity.WaChannel.Outbox;

namespace WaIdentity.Tests.Gateway;

/// <summary>
/// POST /api/v1/messages with is_group=true: the text goes to a WhatsApp group through the linked gateway device,
/// and the device's acks become the delivery state the app reads.
/// </summary>
public sealed class GroupMessagesTests
{
    private static Task<GatewayTestHost> StartWithDeviceAsync(DatabaseProvider provider, params (string Key, string? Value)[] extra) =>
        GatewayTestHost.StartAsync(provider, [.. DeviceTestKit.Settings(extra).Select(kv => (kv.Key, kv.Value))]);

    private static async Task<string> CreateGroupAsync(GatewayTestHost host, string subject, params string[] members)
    {
        using var http = host.Oidc.Server.CreateClient();
        var created = await GatewayTestHost.ReadAsync(await http.PostAsJsonAsync("/dev/inbox/api/device/groups", new { subject, members }));
        Assert.Equal(201, created.Status);
        return created.Body.GetProperty("id").GetString()!;
    }

    private static Task<(int Status, JsonElement Body, HttpResponseMessage Response)> StatusWhenAsync(HttpClient app, string id, TimeSpan patience, params string[] states) =>
        Eventually.ValueAsync(async () => await GatewayTestHost.ReadAsync(await app.GetAsync($"/api/v1/messages/{id}")),
            r => states.Contains(r.Body.GetProperty("status").GetString()), patience);

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_group_message_goes_out_through_the_linked_device_and_reports_delivery(DatabaseProvider provider)
    {
        await using var host = await StartWithDeviceAsync(provider);
        await DeviceTestKit.PairByQrAsync(host.Oidc.Server, GatewayTestHost.BusinessNumber);
        var group = await CreateGroupAsync(host, "Warung Bu Sri", ChannelTestKit.NewPhone(), ChannelTestKit.NewPhone());
        using var app = host.Api(await host.TokenAsync());

        // The id without its "@g.us" suffix is the same group.
        var sent = await GatewayTestHost.ReadAsync(await app.PostAsJsonAsync("/api/v1/messages", new { to = group[..^5], is_group = true, text = "Stock opname at 17:00" }));
        Assert.Equal(202, sent.Status);
        Assert.Equal(group, sent.Body.GetProperty("to").GetString());
        Assert.True(sent.Body.GetProperty("is_group").GetBoolean());

        var inbox = await ChannelTestKit.InboxWhenAsync(host.Oidc.Server, group, m => m.Count == 1);
        Assert.Equal("Stock opname at 17:00", inbox[0].Text);
        Assert.Equal("gateway", inbox[0].Channel);
        var status = await StatusWhenAsync(app, sent.Body.GetProperty("id").GetString()!, DeviceTestKit.Patience, "delivered");
        Assert.Equal("delivered", Assert.Single(await ChannelTestKit.InboxAsync(host.Oidc.Server, group)).State);
        Assert.Equal("device", status.Body.GetProperty("channel").GetString());
        Assert.False(status.Body.GetProperty("fell_back").GetBoolean());
        // The message log shows the device's acks in order: queued, sent (server ack), delivered (device ack).
        var row = Assert.Single(await ChannelTestKit.MessagesToAsync(host.Oidc.Server, group));
        Assert.Equal(ChannelKind.Device, row.Channel);
        var history = (await ChannelTestKit.HistoryAsync(host.Oidc.Server, row.Id)).OrderBy(e => e.At).Select(e => e.State);
        Assert.Equal([DeliveryState.Queued, DeliveryState.Sent, DeliveryState.Delivered], history);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_group_message_waits_for_the_device_and_goes_out_as_soon_as_it_works_again(DatabaseProvider provider)
    {
        // Retries 20 s apart: only the release on WORKING gets a waiting message out within the patience below.
        await using var host = await StartWithDeviceAsync(provider, ("Channel:Dispatch:RetryBaseMilliseconds", "20000"));
        var soon = TimeSpan.FromSeconds(15);
        using var app = host.Api(await host.TokenAsync());
        var sent = await GatewayTestHost.ReadAsync(await app.PostAsJsonAsync("/api/v1/messages", new { to = "120363012345678901@g.us", is_group = true, text = "Rapat jam 9" }));
        Assert.Equal(202, sent.Status);
        var id = sent.Body.GetProperty("id").GetString()!;
        // The dispatcher has had its try and held the message for the device: nothing is due any more.
        await ChannelTestKit.QuietAsync(host.Oidc.Server);
        Assert.Equal("queued", (await GatewayTestHost.ReadAsync(await app.GetAsync($"/api/v1/messages/{id}"))).Body.GetProperty("status").GetString());

        // Linking the device does not make an unknown group known: the device refuses it and the app sees why.
        await DeviceTestKit.PairByQrAsync(host.Oidc.Server, GatewayTestHost.BusinessNumber);
        var failed = await StatusWhenAsync(app, id, soon, "failed", "delivered");
        Assert.Equal("failed", failed.Body.GetProperty("status").GetString());
        Assert.Contains("group", failed.Body.GetProperty("error").GetString());

        // A group the linked number is in: queued before a reconnect, delivered after it.
        var group = await CreateGroupAsync(host, "Arisan RT 05", ChannelTestKit.NewPhone());
        await DeviceTestKit.AdminAsync(host.Oidc.Server, a => a.StopAsync(CancellationToken.None));
        var waiting = await GatewayTestHost.ReadAsync(await app.PostAsJsonAsync("/api/v1/messages", new { to = group, is_group = true, text = "Arisan hari Minggu" }));
        Assert.Equal(202, waiting.Status);
        await ChannelTestKit.QuietAsync(host.Oidc.Server);
        Assert.Empty(await ChannelTestKit.InboxAsync(host.Oidc.Server, group));
        await DeviceTestKit.AdminAsync(host.Oidc.Server, a => a.StartAsync(CancellationToken.None));
        await StatusWhenAsync(app, waiting.Body.GetProperty("id").GetString()!, soon, "delivered");
        Assert.Equal("Arisan hari Minggu", Assert.Single(await ChannelTestKit.InboxAsync(host.Oidc.Server, group)).Text);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_group_message_to_a_stopped_device_says_so_waits_minutes_for_it_and_goes_out_when_it_starts(DatabaseProvider provider)
    {
        await using var host = await StartWithDeviceAsync(provider);
        var server = host.Oidc.Server;
        await DeviceTestKit.PairByQrAsync(server, GatewayTestHost.BusinessNumber);
        var group = await CreateGroupAsync(host, "Karang Taruna", ChannelTestKit.NewPhone());
        await DeviceTestKit.AdminAsync(server, a => a.StopAsync(CancellationToken.None));
        await DeviceTestKit.OverviewWhenAsync(server, o => o.Status == WaChannel.Device.DeviceStatus.Stopped);
        using var app = host.Api(await host.TokenAsync());

        var sent = await GatewayTestHost.ReadAsync(await app.PostAsJsonAsync("/api/v1/messages", new { to = group, is_group = true, text = "Kerja bakti Sabtu" }));
        var id = sent.Body.GetProperty("id").GetString()!;

        // Up front: the device is not started, and the message waits for it (10 minutes by default).
        Assert.Equal(202, sent.Status);
        Assert.Equal("STOPPED", sent.Body.GetProperty("device_status").GetString());
        var waitsFor = sent.Body.GetProperty("waits_until").GetDateTimeOffset() - sent.Body.GetProperty("created_at").GetDateTimeOffset();
        Assert.InRange(waitsFor.TotalSeconds, 599, 601);
        Assert.Contains("not working (STOPPED)", sent.Body.GetProperty("notice").GetString());
        // Five minutes later (the old retry budget ran out after ~20 s) it still waits, untried.
        server.Clock.Advance(TimeSpan.FromMinutes(5));
        var row = Assert.Single(await ChannelTestKit.MessagesToAsync(server, group));
        Assert.Equal(DispatchState.Pending, row.Dispatch);
        Assert.InRange((row.NextAttemptAt - row.CreatedAt).TotalSeconds, 599, 601);
        using var later = host.Api(await host.TokenAsync());
        Assert.Equal("queued", (await GatewayTestHost.ReadAsync(await later.GetAsync($"/api/v1/messages/{id}"))).Body.GetProperty("status").GetString());

        // The device comes back: the message goes out at once and is delivered.
        await DeviceTestKit.AdminAsync(server, a => a.StartAsync(CancellationToken.None));
        await StatusWhenAsync(later, id, DeviceTestKit.Patience, "delivered");
        Assert.Equal("Kerja bakti Sabtu", Assert.Single(await ChannelTestKit.InboxAsync(server, group)).Text);

        // The wait is bounded: a device still stopped after it fails the message with the reason.
        await DeviceTestKit.OverviewWhenAsync(server, o => o.Status == WaChannel.Device.DeviceStatus.Working);
        await DeviceTestKit.AdminAsync(server, a => a.StopAsync(CancellationToken.None));
        await DeviceTestKit.OverviewWhenAsync(server, o => o.Status == WaChannel.Device.DeviceStatus.Stopped);
        var stranded = await GatewayTestHost.ReadAsync(await later.PostAsJsonAsync("/api/v1/messages", new { to = group, is_group = true, text = "Batal" }));
        server.Clock.Advance(TimeSpan.FromMinutes(11));
        using var last = host.Api(await host.TokenAsync());
        var failed = await StatusWhenAsync(last, stranded.Body.GetProperty("id").GetString()!, DeviceTestKit.Patience, "failed", "delivered");
        Assert.Equal("failed", failed.Body.GetProperty("status").GetString());
        Assert.Contains("not working for 10 min", failed.Body.GetProperty("error").GetString());
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Group_messages_are_refused_clearly_when_the_device_is_off_or_the_id_is_not_a_group(DatabaseProvider provider)
    {
        await using var host = await GatewayTestHost.StartAsync(provider);
        using var app = host.Api(await host.TokenAsync());

        var off = await GatewayTestHost.ReadAsync(await app.PostAsJsonAsync("/api/v1/messages", new { to = "120363012345678901@g.us", is_group = true, text = "hi all" }));
        GatewayTestHost.AssertProblem(off.Response, off.Body, 422, "groups-unavailable");
        Assert.Contains("Channel:Device", off.Body.GetProperty("detail").GetString());

        var phoneAsGroup = await GatewayTestHost.ReadAsync(await app.PostAsJsonAsync("/api/v1/messages", new { to = "+6281234567890", is_group = true, text = "hi all" }));
        GatewayTestHost.AssertProblem(phoneAsGroup.Response, phoneAsGroup.Body, 400, "invalid-request");
        Assert.Contains("group id", phoneAsGroup.Body.GetProperty("errors").GetProperty("to")[0].GetString());
        Assert.Empty(await ChannelTestKit.MessagesToAsync(host.Oidc.Server, "120363012345678901@g.us"));
    }
}
