using System.Text.Json;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Infrastructure;

namespace WaIdentity.Tests.Oidc;

public sealed class ClientCommandTests
{
    [Fact]
    public async Task Clients_can_be_created_listed_updated_and_deleted_from_the_command_line()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        var created = await IdpCli.RunAsync(["clients", "create", "--id", "cli-app", "--name", "CLI app",
            "--redirect-uri", "https://app.example/cb", "--grant", "authorization_code", "--grant", "client_credentials", "--scope", "openid", "--scope", "gateway.send"], db.Settings);
        Assert.True(created.ExitCode == 0, created.StdErr);
        var json = JsonDocument.Parse(created.StdOut).RootElement;
        var secret = json.GetProperty("client_secret").GetString()!;
        Assert.True(secret.Length >= 43); // 256 bits, base64url

        var list = await IdpCli.RunAsync(["clients", "list"], db.Settings);
        Assert.Contains("\"cli-app\"", list.StdOut);
        Assert.DoesNotContain(secret, list.StdOut);

        var bad = await IdpCli.RunAsync(["clients", "update", "--id", "cli-app", "--redirect-uri", "http://app.example/cb"], db.Settings);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("http is only allowed for loopback", bad.StdErr);

        // The secret from create works at the token endpoint.
        await using (var host = await IdpTestServer.StartAsync(db))
        {
            using var http = host.CreateClient();
            var response = await http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials", ["client_id"] = "cli-app", ["client_secret"] = secret,
            }));
            Assert.Equal(200, (int)response.StatusCode);
        }

        var deleted = await IdpCli.RunAsync(["clients", "delete", "--id", "cli-app"], db.Settings);
        Assert.Equal(0, deleted.ExitCode);
        Assert.DoesNotContain("cli-app", (await IdpCli.RunAsync(["clients", "list"], db.Settings)).StdOut);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Clients_declared_in_configuration_are_upserted_at_start(DatabaseProvider provider)
    {
        var secret = new string('s', 40);
        await using var host = await OidcTestHost.StartAsync(provider, new Dictionary<string, string?>
        {
            ["Oidc:Clients:0:ClientId"] = "gateway-caller", ["Oidc:Clients:0:Secret"] = secret,
            ["Oidc:Clients:0:GrantTypes:0"] = "client_credentials", ["Oidc:Clients:0:Scopes:0"] = "gateway.send",
        });
        var r = await host.TokenAsync(new() { ["grant_type"] = "client_credentials" }, "gateway-caller", secret);
        Assert.Equal(200, r.Status);
        Assert.Equal("gateway.send", r.Body.GetProperty("scope").GetString());
    }

    [Fact]
    public async Task A_badly_declared_client_stops_start_up_with_a_clear_message()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        var settings = new Dictionary<string, string?>(db.Settings)
        {
            ["Oidc:Clients:0:ClientId"] = "weak", ["Oidc:Clients:0:Secret"] = "short", ["Oidc:Clients:0:RedirectUris:0"] = "https://a.example/cb",
        };
        var result = await IdpProcess.RunAsync([], settings);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Oidc:Clients:0:Secret", result.StdErr);
    }
}
