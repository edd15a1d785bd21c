using System.Net;
using WaIdentity.IdP.Gateway;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Channel;
using WaIdentity.Tests.Infrastructure;

namespace WaIdentity.Tests.Gateway;

/// <summary>Callbacks and webhooks never reach loopback, private, link-local or metadata addresses outside Development.</summary>
public sealed class SsrfTests
{
    private sealed class FakeResolver(Dictionary<string, IPAddress[]> names) : IHostAddressResolver
    {
        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct) =>
            names.TryGetValue(host, out var a) ? Task.FromResult(a) : throw new System.Net.Sockets.SocketException(11001);
    }

    [Fact]
    public async Task The_policy_refuses_private_addresses_by_literal_and_by_name()
    {
        var resolver = new FakeResolver(new()
        {
            ["public.example"] = [IPAddress.Parse("93.184.216.34")],
            ["rebind.example"] = [IPAddress.Parse("127.0.0.1")],
            ["mixed.example"] = [IPAddress.Parse("93.184.216.34"), IPAddress.Parse("10.1.2.3")],
            ["metadata.example"] = [IPAddress.Parse("fd00:ec2::254")],
        });
        var policy = new CallbackUrlPolicy(resolver, allowPrivateAddresses: false);
        string[] origins = ["https://public.example", "https://rebind.example", "https://mixed.example", "https://metadata.example", "https://nowhere.example",
            "https://10.0.0.1", "https://169.254.169.254", "https://[::1]", "https://100.64.1.1", "https://192.168.1.1", "https://172.20.0.1", "https://[fe80::1]", "https://0.0.0.0"];
        Assert.Null(await policy.CheckAsync("https://public.example/cb", origins, default));
        foreach (var url in new[] { "https://rebind.example/cb", "https://mixed.example/cb", "https://metadata.example/cb", "https://10.0.0.1/cb",
            "https://169.254.169.254/latest/meta-data", "https://[::1]/cb", "https://100.64.1.1/cb", "https://192.168.1.1/cb", "https://172.20.0.1/cb", "https://[fe80::1]/cb", "https://0.0.0.0/cb" })
            Assert.Contains("refused", await policy.CheckAsync(url, origins, default));
        Assert.Contains("does not resolve", await policy.CheckAsync("https://nowhere.example/cb", origins, default));
        Assert.True(CallbackUrlPolicy.IsForbidden(IPAddress.Parse("::ffff:127.0.0.1")));
        Assert.False(CallbackUrlPolicy.IsForbidden(IPAddress.Parse("8.8.8.8")));
        Assert.False(CallbackUrlPolicy.IsForbidden(IPAddress.Parse("172.32.0.1")));
        // Development may use loopback receivers (http too); production may not use http at all.
        Assert.Null(await new CallbackUrlPolicy(resolver, allowPrivateAddresses: true).CheckAsync("http://127.0.0.1:8080/cb", ["http://127.0.0.1:8080"], default));
        Assert.Contains("https", await policy.CheckAsync("http://public.example/cb", ["http://public.example"], default));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_endpoint_refuses_private_callback_addresses_when_they_are_not_allowed(DatabaseProvider provider)
    {
        await using var host = await GatewayTestHost.StartAsync(provider, ("Gateway:Webhooks:AllowPrivateAddresses", "false"));
        await host.ConfigureAsync("app", ["https://10.0.0.1", "https://169.254.169.254", "https://[::1]", "https://127.0.0.1:8443"]);
        using var app = host.Api(await host.TokenAsync());
        foreach (var url in new[] { "https://10.0.0.1/cb", "https://169.254.169.254/latest/meta-data/", "https://[::1]/cb", "https://127.0.0.1:8443/cb" })
        {
            var r = await GatewayTestHost.ReadAsync(await app.GetAsync("/api/v1/verification_code?callback_url=" + Uri.EscapeDataString(url)));
            GatewayTestHost.AssertProblem(r.Response, r.Body, 400, "invalid-request");
            Assert.Contains("refused", r.Body.GetProperty("detail").GetString());
        }
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Outside_development_private_addresses_are_refused_without_any_setting(DatabaseProvider provider)
    {
        // A Staging server with Gateway:Webhooks:AllowPrivateAddresses left unset: the default must be the safe one.
        await using var host = await GatewayTestHost.StartOutsideDevelopmentAsync(provider);
        var settings = (Func<string?, Task<(string? Secret, List<GatewayFieldProblem> Problems)>>)(url => host.Oidc.Server.InScopeAsync(sp =>
            sp.GetRequiredService<GatewayClientSettings>().ConfigureAsync("app", null, url, newSecret: false)));

        foreach (var (url, address) in new[] { ("https://127.0.0.1:8443/hook", "127.0.0.1"), ("https://10.1.2.3/hook", "10.1.2.3") })
        {
            var refused = await settings(url);
            Assert.Equal($"webhook-url: the host resolves to a loopback, private or reserved address ({address}), which is refused", Assert.Single(refused.Problems).ToString());
        }
        Assert.Contains("must use https", Assert.Single((await settings("http://127.0.0.1:8080/hook")).Problems).ToString());
        Assert.Null((await host.Oidc.Server.InScopeAsync(sp => sp.GetRequiredService<GatewayClientSettings>().FindAsync("app")))?.WebhookUrl);
        Assert.Empty((await settings("https://93.184.216.34/hook")).Problems); // a public address is fine: only the private ones are refused

        await host.ConfigureAsync("app", ["https://10.0.0.1", "https://127.0.0.1:8443", "https://93.184.216.34"]);
        using var app = host.Api(await host.TokenAsync());
        foreach (var (url, address) in new[] { ("https://10.0.0.1/cb", "10.0.0.1"), ("https://127.0.0.1:8443/cb", "127.0.0.1") })
        {
            var r = await GatewayTestHost.ReadAsync(await app.GetAsync("/api/v1/verification_code?callback_url=" + Uri.EscapeDataString(url)));
            GatewayTestHost.AssertProblem(r.Response, r.Body, 400, "invalid-request");
            Assert.Contains($"loopback, private or reserved address ({address}), which is refused", r.Body.GetProperty("detail").GetString());
        }
        var allowed = await GatewayTestHost.ReadAsync(await app.GetAsync("/api/v1/verification_code?callback_url=" + Uri.EscapeDataString("https://93.184.216.34/cb")));
        Assert.Equal(200, allowed.Status);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Delivery_checks_the_address_again_when_connecting(DatabaseProvider provider)
    {
        // A receiver on loopback that the queue points at (as if a name had been rebound to 127.0.0.1 after the check).
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var host = await GatewayTestHost.StartAsync(provider, ("Gateway:Webhooks:AllowPrivateAddresses", "false"), ("Gateway:Webhooks:MaxAttempts", "1"));
        await host.ConfigureAsync("app", ["https://app.example"]);
        var delivery = await host.Oidc.Server.InScopeAsync(sp => sp.GetRequiredService<WebhookQueue>().EnqueueAsync("app", "verification", receiver.Origin + "/cb", new { id = "x" }, default));
        var dead = await Eventually.ValueAsync(() => host.Oidc.Server.InScopeAsync(sp => sp.GetRequiredService<WebhookReplay>().ListAsync(WebhookState.Dead, 10)),
            l => l.Any(d => d.Id == delivery.Id), ChannelTestKit.Patience);
        Assert.Contains("refused", dead.Single().LastError);
        Assert.Empty(receiver.Requests);
    }
}
