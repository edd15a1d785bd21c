using WaIdentity.Tests.Channel;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.WaChannel.Device;
using WaIdentity.WaChannel.Inbound;
using WaIdentity.WaChannel.Persistence;
using WaIdentity.WaChannel.Sandbox;
using WaIdentity.WaChannel.Webhooks;
using static WaIdentity.Tests.Device.DeviceTestKit;

namespace WaIdentity.Tests.Device;

/// <summary>Messages written to the linked number arrive once, from the sender's phone; forged gateway webhooks change nothing.</summary>
public sealed class GatewayInboundTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_message_to_the_linked_number_is_handed_on_once_even_when_the_webhook_comes_twice(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var server = await IdpTestServer.StartAsync(db, Settings());
        using var client = server.CreateClient();
        await PairByQrAsync(server, Channel.ChannelTestKit.NewPhone());
        var sender = Channel.ChannelTestKit.NewPhone();

        using var sent = await client.PostAsJsonAsync("/dev/inbox/api/device/inbound", new { from = sender, text = "LOGIN 482913", profileName = "Budi" });
        var records = await Eventually.ValueAsync(() => InboundAsync(server), r => r.Count > 0, Patience);
        var raw = await GatewayBodiesAsync(server, "\"message\"");
        using var replay = await PostSignedAsync(client, Assert.Single(raw), DeviceSandboxCredentials.HmacKey);
        await Eventually.ValueAsync(() => UnprocessedAsync(server), n => n == 0, Patience);

        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal(2, (await GatewayBodiesAsync(server, "\"message\"")).Count);
        Assert.Equal(sender, Assert.Single(await InboundAsync(server)).Phone);
    }

    [Fact]
    public async Task A_sender_known_only_by_a_linked_id_is_resolved_to_the_phone_through_the_gateway()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, Settings());
        using var client = server.CreateClient();
        await PairByQrAsync(server, Channel.ChannelTestKit.NewPhone());
        var sender = Channel.ChannelTestKit.NewPhone();

        (await client.PostAsJsonAsync("/dev/inbox/api/device/inbound", new { from = sender, text = "LOGIN 111222", asLid = true })).EnsureSuccessStatusCode();
        var records = await Eventually.ValueAsync(() => InboundAsync(server), r => r.Count > 0, Patience);

        var from = JsonNode.Parse(Assert.Single(await GatewayBodiesAsync(server, "\"message\"")))?["payload"]?["from"]?.GetValue<string>();
        Assert.EndsWith("@lid", from);
        Assert.DoesNotContain(sender.TrimStart('+'), from);
        Assert.Equal(sender, Assert.Single(records).Phone);
    }

    [Fact]
    public async Task A_subscriber_gets_a_gateway_message_once_with_the_phone_behind_its_linked_id()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, Settings());
        using var client = server.CreateClient();
        await PairByQrAsync(server, Channel.ChannelTestKit.NewPhone());
        var sender = Channel.ChannelTestKit.NewPhone();
        // The gateway learns the sender's linked id from a first message; a second one then comes from that id.
        (await client.PostAsJsonAsync("/dev/inbox/api/device/inbound", new { from = sender, text = "hello", asLid = true })).EnsureSuccessStatusCode();
        var first = JsonNode.Parse(Assert.Single(await Eventually.ValueAsync(() => GatewayBodiesAsync(server, "\"message\""), b => b.Count > 0, Patience)))!;
        first["payload"]!["id"] = "false_" + first["payload"]!["from"] + "_SECOND";
        first["payload"]!["body"] = "LOGIN 424242";
        first["payload"]!["_data"] = new JsonObject { ["pushName"] = "  Siti  " };
        var subscriber = new InboundRecorder();

        await server.InScopeAsync(async sp =>
        {
            var dispatcher = new InboundDispatcher(sp.GetRequiredService<ChannelDbContext>(), [subscriber], [], TimeProvider.System, NullLogger<InboundDispatcher>.Instance);
            var handler = new GatewayEventHandler(sp.GetRequiredService<GatewayEndpoint>(), sp.GetRequiredService<DeviceStateRecorder>(),
                sp.GetRequiredService<DeviceGatewayClient>(), dispatcher, sp.GetRequiredService<DeviceAckHandler>(), TimeProvider.System, NullLogger<GatewayEventHandler>.Instance);
            Assert.True(await handler.HandleAsync(first.ToJsonString(), default));
            Assert.True(await handler.HandleAsync(first.ToJsonString(), default));
            return 0;
        });

        var seen = Assert.Single(subscriber.Seen);
        Assert.Equal(sender, seen.Phone);
        Assert.Equal("Siti", seen.ProfileName);
        Assert.Equal("LOGIN 424242", seen.Text);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_forged_or_stale_gateway_webhook_is_refused_and_changes_nothing(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var server = await IdpTestServer.StartAsync(db, Settings());
        using var client = server.CreateClient();
        await PairByQrAsync(server, Channel.ChannelTestKit.NewPhone());
        var stored = (await GatewayBodiesAsync(server, "")).Count;
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var failed = new JsonObject
        {
            ["id"] = "evt_forged", ["timestamp"] = now, ["event"] = "session.status", ["session"] = "default",
            ["payload"] = new JsonObject { ["status"] = "FAILED", ["statuses"] = new JsonArray(new JsonObject { ["status"] = "FAILED", ["timestamp"] = now }) },
        }.ToJsonString();
        var message = new JsonObject
        {
            ["event"] = "message", ["session"] = "default",
            ["payload"] = new JsonObject { ["id"] = "false_6281200000000@c.us_FORGED", ["from"] = "6281200000000@c.us", ["fromMe"] = false, ["body"] = "LOGIN 999999", ["timestamp"] = now / 1000 },
        }.ToJsonString();

        using var wrongKey = await PostSignedAsync(client, failed, "not-the-gateway-key");
        using var unsigned = await PostSignedAsync(client, message, null);
        using var stale = await PostSignedAsync(client, failed, DeviceSandboxCredentials.HmacKey, DateTimeOffset.UtcNow.AddMinutes(-10));
        await Channel.ChannelTestKit.QuietAsync(server);

        Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, stale.StatusCode);
        Assert.Equal(stored, (await GatewayBodiesAsync(server, "")).Count);
        Assert.Equal(DeviceStatus.Working, (await OverviewAsync(server)).Status);
        Assert.Empty(await InboundAsync(server));
    }

    private static async Task<HttpResponseMessage> PostSignedAsync(HttpClient client, string body, string? key, DateTimeOffset? at = null)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var request = new HttpRequestMessage(HttpMethod.Post, GatewayEndpoint.WebhookPath) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add(GatewayWebhookEndpoint.TimestampHeader, (at ?? DateTimeOffset.UtcNow).ToUnixTimeMilliseconds().ToString());
        if (key is not null) request.Headers.Add(GatewayWebhookEndpoint.HmacHeader, GatewayWebhookEndpoint.Sign(key, bytes));
        return await client.SendAsync(request);
    }

    private static Task<List<string>> GatewayBodiesAsync(IdpTestServer server, string containing) =>
        server.InScopeAsync(sp => sp.GetRequiredService<ChannelDbContext>().Set<WebhookEvent>().AsNoTracking()
            .Where(w => w.Source == GatewayWebhookEndpoint.Source && w.Body.Contains(containing)).Select(w => w.Body).ToListAsync());

    private static Task<int> UnprocessedAsync(IdpTestServer server) =>
        server.InScopeAsync(sp => sp.GetRequiredService<ChannelDbContext>().Set<WebhookEvent>().CountAsync(w => w.ProcessedAt == null));

    private static Task<List<InboundMessageRecord>> InboundAsync(IdpTestServer server) =>
        server.InScopeAsync(sp => sp.GetRequiredService<ChannelDbContext>().Set<InboundMessageRecord>().AsNoTracking().ToListAsync());
}
