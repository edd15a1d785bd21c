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

    [Fact]
    public async Task The_DPoP_requirement_is_set_and_cleared_from_the_command_line_and_enforced()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        var created = await IdpCli.RunAsync(["clients", "create", "--id", "api", "--grant", "client_credentials", "--scope", "inventory.read", "--require-dpop"], db.Settings);
        Assert.True(created.ExitCode == 0, created.StdErr);
        var json = JsonDocument.Parse(created.StdOut).RootElement;
        Assert.True(json.GetProperty("dpop_bound_access_tokens").GetBoolean());
        var secret = json.GetProperty("client_secret").GetString()!;
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = "api", ["client_secret"] = secret };

        await using (var host = await IdpTestServer.StartAsync(db))
        {
            using var http = host.CreateClient();
            var refused = await http.PostAsync("/connect/token", new FormUrlEncodedContent(form));
            Assert.Equal(400, (int)refused.StatusCode);
            Assert.Equal("invalid_dpop_proof", JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());
        }

        var cleared = await IdpCli.RunAsync(["clients", "update", "--id", "api", "--require-dpop", "false"], db.Settings);
        Assert.True(cleared.ExitCode == 0, cleared.StdErr);
        Assert.False(JsonDocument.Parse(cleared.StdOut).RootElement.GetProperty("dpop_bound_access_tokens").GetBoolean());
        var kept = await IdpCli.RunAsync(["clients", "update", "--id", "api", "--name", "API"], db.Settings);
        Assert.False(JsonDocument.Parse(kept.StdOut).RootElement.GetProperty("dpop_bound_access_tokens").GetBoolean());

        await using (var host = await IdpTestServer.StartAsync(db))
        {
            using var http = host.CreateClient();
            Assert.Equal(200, (int)(await http.PostAsync("/connect/token", new FormUrlEncodedContent(form))).StatusCode);
        }
    }

    [Fact]
    public async Task Private_key_jwt_and_the_PAR_requirement_are_set_from_the_command_line()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        var jwksFile = Path.Combine(Path.GetTempPath(), $"jwks-{Guid.NewGuid():N}.json");
        var publicKey = """{"kty":"EC","crv":"P-256","x":"i9uWF1CrtpdKtsMyW6cW6qT8ZxnaW_1T2C9Dh_pZOVU","y":"GYjSZuOoie-_sHPWTQkz9vdU2DhQk92MRgk3X0Tuw70","kid":"k1"}""";
        try
        {
            await File.WriteAllTextAsync(jwksFile, $$"""{"keys":[{{publicKey[..^1]}},"d":"secret-part"}]}""");
            var withPrivate = await IdpCli.RunAsync(["clients", "create", "--id", "signer", "--redirect-uri", "https://app.example/cb", "--jwks-file", jwksFile], db.Settings);
            Assert.Equal(1, withPrivate.ExitCode);
            Assert.Contains("only public keys", withPrivate.StdErr);

            await File.WriteAllTextAsync(jwksFile, $$"""{"keys":[{{publicKey}}]}""");
            var created = await IdpCli.RunAsync(["clients", "create", "--id", "signer", "--redirect-uri", "https://app.example/cb", "--jwks-file", jwksFile, "--require-par"], db.Settings);
            Assert.True(created.ExitCode == 0, created.StdErr);
            var json = JsonDocument.Parse(created.StdOut).RootElement;
            Assert.False(json.TryGetProperty("client_secret", out _));
            Assert.Equal("private_key_jwt", json.GetProperty("token_endpoint_auth_method").GetString());
            Assert.True(json.GetProperty("require_pushed_authorization_requests").GetBoolean());
            Assert.Equal("k1", json.GetProperty("jwks").GetProperty("keys")[0].GetProperty("kid").GetString());

            var moved = await IdpCli.RunAsync(["clients", "update", "--id", "signer", "--jwks-uri", "https://app.example/jwks.json", "--require-par", "false"], db.Settings);
            Assert.True(moved.ExitCode == 0, moved.StdErr);
            json = JsonDocument.Parse(moved.StdOut).RootElement;
            Assert.Equal("https://app.example/jwks.json", json.GetProperty("jwks_uri").GetString());
            Assert.False(json.TryGetProperty("jwks", out _));
            Assert.False(json.GetProperty("require_pushed_authorization_requests").GetBoolean());

            var back = await IdpCli.RunAsync(["clients", "update", "--id", "signer", "--new-secret"], db.Settings);
            json = JsonDocument.Parse(back.StdOut).RootElement;
            Assert.Equal("client_secret_basic", json.GetProperty("token_endpoint_auth_method").GetString());
            Assert.True(json.GetProperty("client_secret").GetString()!.Length >= 43);
        }
        finally
        {
            File.Delete(jwksFile);
        }
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
