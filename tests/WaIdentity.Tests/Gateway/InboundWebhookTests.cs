using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WaIdentity.IdP.Gateway;
using WaIdentity.IdP.Login;
using WaIdentity.IdP.Login.SendCode;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Channel;
using WaIdentity.Tests.Infrastructure;

namespace WaIdentity.Tests.Gateway;

/// <summary>Unclaimed inbound messages go to the webhooks of wa.inbound clients: signed, retried, dead-lettered, replayable from the CLI.</summary>
public sealed class InboundWebhookTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_failing_webhook_is_retried_dead_lettered_and_replayed_from_the_cli(DatabaseProvider provider)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Status = 500;
        await using var host = await GatewayTestHost.StartAsync(provider, ("Gateway:Webhooks:MaxAttempts", "2"), ("Gateway:Webhooks:RetryBaseSeconds", "1"));
        await host.CreateApiClientAsync("quiet", ["wa.send"]);
        await host.ConfigureAsync("quiet", [], receiver.Origin + "/quiet"); // a webhook, but no wa.inbound scope

        var configured = await IdpCli.RunAsync(["gateway", "configure", "--client", "app", "--webhook-url", receiver.Origin + "/inbound", "--new-webhook-secret"], host.Oidc.Database.Settings);
        Assert.True(configured.ExitCode == 0, configured.StdErr);
        var secret = JsonDocument.Parse(configured.StdOut).RootElement.GetProperty("webhook_secret").GetString()!;

        var phone = ChannelTestKit.NewPhone();
        await host.SendInboundAsync(phone, "Is the shop open today?", "Budi");
        var tries = await Eventually.ValueAsync(() => Task.FromResult(receiver.Requests.ToList()), r => r.Count >= 2, ChannelTestKit.Patience);
        await ChannelTestKit.QuietAsync(host.Oidc.Server);
        Assert.Equal(2, receiver.Requests.Count); // MaxAttempts, then dead: no third try on its own
        Assert.All(tries, t => Assert.Equal("/inbound", t.Path));

        var list = await IdpCli.RunAsync(["webhooks", "list", "--dead"], host.Oidc.Database.Settings);
        Assert.True(list.ExitCode == 0, list.StdErr);
        var dead = Assert.Single(JsonDocument.Parse(list.StdOut).RootElement.EnumerateArray());
        Assert.Equal("HTTP 500", dead.GetProperty("last_error").GetString());
        var id = dead.GetProperty("id").GetString()!;

        receiver.Status = 200;
        var replay = await IdpCli.RunAsync(["webhooks", "replay", id], host.Oidc.Database.Settings);
        Assert.True(replay.ExitCode == 0, replay.StdErr);
        Assert.Equal(1, (await IdpCli.RunAsync(["webhooks", "replay", "no-such-id"], host.Oidc.Database.Settings)).ExitCode);

        var delivered = await Eventually.ValueAsync(() => Task.FromResult(receiver.Requests.ToList()), r => r.Count >= 3, ChannelTestKit.Patience);
        var last = delivered[2];
        Assert.Equal(id, last.Headers[CallbackSigner.DeliveryHeader]);
        Assert.Equal("inbound", last.Headers[CallbackSigner.EventHeader]);
        Assert.True(CallbackSigner.Verify(secret, last.Headers[CallbackSigner.TimestampHeader], last.Headers[CallbackSigner.SignatureHeader], last.Body, DateTimeOffset.UtcNow));
        var body = JsonDocument.Parse(last.Body).RootElement;
        Assert.Equal(phone, body.GetProperty("from").GetString());
        Assert.Equal("Budi", body.GetProperty("profile_name").GetString());
        Assert.Equal("Is the shop open today?", body.GetProperty("text").GetString());
        await Eventually.ValueAsync(() => host.Oidc.Server.InScopeAsync(sp => sp.GetRequiredService<WebhookReplay>().ListAsync(WebhookState.Delivered, 10)),
            l => l.Any(d => d.Id == id), ChannelTestKit.Patience);
        Assert.DoesNotContain(receiver.Requests, r => r.Path == "/quiet");
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_send_code_login_message_is_not_forwarded_but_an_ordinary_message_is(DatabaseProvider provider)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var host = await GatewayTestHost.StartAsync(provider, ("Login:SendCode:BusinessNumber", GatewayTestHost.BusinessNumber));
        await host.ConfigureAsync("app", [], receiver.Origin + "/inbound");
        // The invitation the send-code login page shows: its wa.me link carries the prefilled login message.
        var invitation = await host.Oidc.Server.InScopeAsync(sp => sp.GetRequiredService<SendCodeIssuer>()
            .IssueAsync(new LoginFlow(Guid.NewGuid().ToString("N"), "", "/", DateTimeOffset.UtcNow), null, default));
        var prefilled = Uri.UnescapeDataString(new Uri(invitation.Link).Query["?text=".Length..]);
        Assert.Contains(invitation.Code, prefilled);

        var phone = ChannelTestKit.NewPhone();
        await host.SendInboundAsync(phone, prefilled, "Ana");
        // The login claimed it: the challenge is proven by the sender.
        var hash = SentCode.Hash(invitation.Code);
        await Eventually.ValueAsync(() => host.Oidc.Server.InScopeAsync(sp => sp.GetRequiredService<IdpDbContext>().Set<LoginSendCode>()
            .Where(c => c.CodeHash == hash).Select(c => c.ProvenPhone).SingleAsync()), p => p == phone, ChannelTestKit.Patience);
        await host.SendInboundAsync(phone, "Is the shop open today?", "Ana");

        await Eventually.ValueAsync(() => Task.FromResult(receiver.Requests.ToList()), r => r.Count > 0, ChannelTestKit.Patience);
        await ChannelTestKit.QuietAsync(host.Oidc.Server);
        var forwarded = Assert.Single(receiver.Requests);
        Assert.Equal("Is the shop open today?", JsonDocument.Parse(forwarded.Body).RootElement.GetProperty("text").GetString());
        var queued = await host.Oidc.Server.InScopeAsync(sp => sp.GetRequiredService<WebhookReplay>().ListAsync(null, 10));
        Assert.DoesNotContain(queued, d => d.Body.Contains(invitation.Code));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Clients_declared_in_configuration_get_their_gateway_settings_at_start(DatabaseProvider provider)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var webhookSecret = "whsec_" + new string('k', 40);
        await using var host = await GatewayTestHost.StartAsync(provider,
            ("Oidc:Clients:0:ClientId", "configured"), ("Oidc:Clients:0:Secret", new string('s', 40)),
            ("Oidc:Clients:0:GrantTypes:0", "client_credentials"), ("Oidc:Clients:0:Scopes:0", "wa.inbound"),
            ("Gateway:Clients:0:ClientId", "configured"), ("Gateway:Clients:0:CallbackOrigins:0", receiver.Origin),
            ("Gateway:Clients:0:WebhookUrl", receiver.Origin + "/configured"), ("Gateway:Clients:0:WebhookSecret", webhookSecret));

        await host.SendInboundAsync(ChannelTestKit.NewPhone(), "Hello from configuration");
        var received = (await Eventually.ValueAsync(() => Task.FromResult(receiver.Requests.ToList()), r => r.Count > 0, ChannelTestKit.Patience)).Single();
        Assert.Equal("/configured", received.Path);
        Assert.True(CallbackSigner.Verify(webhookSecret, received.Headers[CallbackSigner.TimestampHeader], received.Headers[CallbackSigner.SignatureHeader], received.Body, DateTimeOffset.UtcNow));
    }

    [Fact]
    public async Task A_configured_client_with_a_short_webhook_secret_stops_the_start()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        var result = await IdpProcess.RunAsync([], new Dictionary<string, string?>(db.Settings)
        {
            ["Gateway:Clients:0:ClientId"] = "shop", ["Gateway:Clients:0:WebhookSecret"] = "short",
        });
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Gateway:Clients:0:WebhookSecret: at least 32 characters", result.StdErr);
    }

    [Fact]
    public async Task The_cli_refuses_webhook_urls_that_are_not_https_or_point_at_private_addresses()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        var settings = new Dictionary<string, string?>(db.Settings) { ["Gateway:Webhooks:AllowPrivateAddresses"] = "false" };
        Assert.Equal(0, (await IdpCli.RunAsync(["clients", "create", "--id", "shop", "--grant", "client_credentials", "--scope", "wa.inbound"], settings)).ExitCode);
        var privateAddress = await IdpCli.RunAsync(["gateway", "configure", "--client", "shop", "--webhook-url", "https://169.254.169.254/latest"], settings);
        Assert.Equal(1, privateAddress.ExitCode);
        Assert.Contains("refused", privateAddress.StdErr);
        var plainHttp = await IdpCli.RunAsync(["gateway", "configure", "--client", "shop", "--webhook-url", "http://93.184.216.34/hook", "--callback-origin", "https://shop.example/path"], settings);
        Assert.Equal(1, plainHttp.ExitCode);
        Assert.Contains("webhook-url: must use https", plainHttp.StdErr);
        Assert.Contains("callback-origin: an origin is scheme://host[:port] only", plainHttp.StdErr);
        var unknown = await IdpCli.RunAsync(["gateway", "configure", "--client", "ghost"], settings);
        Assert.Equal(1, unknown.ExitCode);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_delivery_being_sent_by_one_node_is_not_sent_by_another(DatabaseProvider provider)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await GatewayTestHost.StartAsync(provider, ("Gateway:Webhooks:TimeoutSeconds", "100"));
        await host.ConfigureAsync("app", [], receiver.Origin + "/inbound", newSecret: true);

        await host.Oidc.Server.InScopeAsync(sp => sp.GetRequiredService<WebhookQueue>().EnqueueAsync("app", "inbound", receiver.Origin + "/inbound", new { text = "once" }, default));
        // This node's worker has posted it, and the app has not answered yet.
        await Eventually.ValueAsync(() => Task.FromResult(receiver.Requests.Count), n => n == 1, ChannelTestKit.Patience);
        // Two more nodes look for due deliveries meanwhile (each worker is a node of its own).
        var others = Enumerable.Range(0, 2).Select(_ => ActivatorUtilities.CreateInstance<WebhookDeliveryWorker>(host.Oidc.Server.Services)).ToList();
        var started = await Task.WhenAll(others.Select(w => w.RunOnceAsync(CancellationToken.None)));
        receiver.Hold.SetResult();

        await Eventually.ValueAsync(() => host.Oidc.Server.InScopeAsync(sp => sp.GetRequiredService<WebhookReplay>().ListAsync(WebhookState.Delivered, 10)),
            l => l.Count == 1, ChannelTestKit.Patience);
        await ChannelTestKit.QuietAsync(host.Oidc.Server);
        Assert.Equal([false, false], started);
        Assert.Single(receiver.Requests);
    }

    [Fact]
    public void Backoff_doubles_from_the_base_and_is_capped_at_an_hour()
    {
        var retry = WebhookDeliveryQueue.Retry(new WebhookRules { RetryBaseSeconds = 30 });
        Assert.Equal(TimeSpan.FromSeconds(30), retry.Delay(1));
        Assert.Equal(TimeSpan.FromSeconds(60), retry.Delay(2));
        Assert.Equal(TimeSpan.FromSeconds(240), retry.Delay(4));
        Assert.Equal(TimeSpan.FromHours(1), retry.Delay(30));
    }
}
