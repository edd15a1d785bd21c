using System.Net;
using Microsoft.Extensions.Options;
using WaIdentity.IdP.Oidc.Clients;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.WaChannel.Configuration;
using WaIdentity.WaChannel.Providers;
using WaIdentity.WaChannel.Sandbox;

namespace WaIdentity.Tests.Hosting;

/// <summary>
/// The sandbox lets anyone read every login code and act as any phone: outside Development there is no dev inbox, no
/// emulator and no demo client, whatever the environment is called, and the channel without credentials is Disabled.
/// </summary>
public sealed class SandboxOutsideDevelopmentTests
{
    private static readonly (string Method, string Path)[] DevRoutes =
    [
        ("GET", "/dev/inbox"), ("GET", "/dev/inbox/inbox.css"), ("GET", "/dev/inbox/inbox.js"), ("POST", "/dev/inbox/press"), ("POST", "/dev/inbox/status"), ("POST", "/dev/inbox/fail-next"), ("POST", "/dev/inbox/inbound"),
        ("POST", "/dev/inbox/device"), ("GET", "/dev/inbox/events"), ("GET", "/dev/inbox/api/messages"),
        ("POST", "/dev/inbox/api/messages/1/status"), ("POST", "/dev/inbox/api/fail-next"), ("POST", "/dev/inbox/api/inbound"),
        ("GET", "/dev/inbox/api/device"), ("POST", "/dev/inbox/api/device/scan"), ("POST", "/dev/inbox/api/device/pair"),
        ("POST", "/dev/inbox/api/device/inbound"), ("GET", "/dev/inbox/api/device/groups"), ("POST", "/dev/inbox/api/device/groups"),
        ("POST", "/dev/inbox/api/device/disconnect"), ("POST", "/dev/inbox/api/device/unlink"),
        ("POST", "/sandbox/whatsapp/v25.0/123/messages"), ("GET", "/sandbox/whatsapp/v25.0/123/message_templates"),
        ("POST", "/sandbox/whatsapp/v25.0/123/message_templates"), ("POST", "/sandbox/twilio/2010-04-01/Accounts/AC1/Messages.json"),
        ("POST", "/sandbox/gateway/api/sessions"), ("POST", "/sandbox/gateway/api/sendText"), ("GET", "/sandbox/gateway/api/screenshot"),
        ("GET", "/sandbox/gateway/api/sessions/default"), ("GET", "/sandbox/gateway/api/default/auth/qr"),
        ("GET", "/demo"), ("GET", "/demo?handler=Start"), ("GET", "/demo/callback?code=x&state=y"),
    ];

    public static TheoryData<string> Environments => ["Staging", "qa-cluster-7"];

    [Theory, MemberData(nameof(Environments))]
    public async Task Outside_development_every_sandbox_dev_inbox_and_demo_route_is_absent(string environment)
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, KeysOutsideDevelopment(), environment);
        using var http = server.CreateClient();

        await AssertSandboxAbsentAsync(server, http);
        Assert.DoesNotContain("/demo", await http.GetStringAsync("/"));
        Assert.Equal(ChannelMode.Disabled, server.Services.GetRequiredService<ChannelRuntime>().Mode);
        Assert.False(await server.InScopeAsync(sp => sp.GetRequiredService<ClientRegistry>().ExistsAsync(DemoClientSeeder.ClientId)));
    }

    /// <summary>Every emulator, dev inbox and demo route answers 404, and no sandbox service is even registered.</summary>
    internal static async Task AssertSandboxAbsentAsync(IdpTestServer server, HttpClient http)
    {
        foreach (var (method, path) in DevRoutes)
        {
            using var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "POST" ? new StringContent("{}", System.Text.Encoding.UTF8, "application/json") : null });
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path} answered {(int)response.StatusCode}");
        }
        Assert.Null(server.Services.GetService<SandboxProviders>());
        Assert.Null(server.Services.GetService<DeviceGatewaySimulator>());
    }

    [Theory, MemberData(nameof(Environments))]
    public async Task An_explicit_sandbox_mode_outside_development_stops_the_start(string environment)
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        var settings = new Dictionary<string, string?>(KeysOutsideDevelopment()) { ["Channel:Mode"] = "Sandbox" };

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => IdpTestServer.StartAsync(db, settings, environment));

        Assert.Contains($"Channel:Mode: Sandbox is only allowed in Development (it exposes the dev inbox; this is {environment})", refused.Message);
    }

    [Fact]
    public async Task In_development_the_sandbox_is_there()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db);
        using var http = server.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/dev/inbox")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/demo")).StatusCode);
    }

    private static Dictionary<string, string?> KeysOutsideDevelopment() => new()
    {
        ["DataProtection:KeyEncryptionKey"] = Convert.ToBase64String(new byte[32].Select((_, i) => (byte)(i + 7)).ToArray()),
        ["Login:Otp:CodeHashKey"] = Convert.ToBase64String(new byte[32].Select((_, i) => (byte)(i + 11)).ToArray()),
    };
}
