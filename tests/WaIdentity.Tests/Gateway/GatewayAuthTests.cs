using System.Net.Http.Json;
using System.Text.Json;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.Tests.Oidc;

namespace WaIdentity.Tests.Gateway;

/// <summary>Who may call the gateway API: bearer tokens from the IdP's token endpoint, scopes, per-client limits, problem+json errors.</summary>
public sealed class GatewayAuthTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Missing_bad_revoked_and_underscoped_tokens_are_refused_with_problems(DatabaseProvider provider)
    {
        await using var host = await GatewayTestHost.StartAsync(provider);
        var verifyOnly = await host.CreateApiClientAsync("verifier", ["wa.verify"]);

        using var anonymous = host.Api(null);
        var none = await GatewayTestHost.ReadAsync(await anonymous.GetAsync("/api/v1/messages/" + Guid.NewGuid().ToString("N")));
        GatewayTestHost.AssertProblem(none.Response, none.Body, 401, "invalid-token");
        Assert.StartsWith("Bearer", none.Response.Headers.WwwAuthenticate.ToString());

        using var forged = host.Api("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.");
        var bad = await GatewayTestHost.ReadAsync(await forged.PostAsJsonAsync("/api/v1/messages", new { to = "+6281234567890", text = "hi" }));
        GatewayTestHost.AssertProblem(bad.Response, bad.Body, 401, "invalid-token");
        Assert.Contains("error=\"invalid_token\"", bad.Response.Headers.WwwAuthenticate.ToString());

        var token = await host.TokenAsync("verifier", verifyOnly);
        using var underScoped = host.Api(token);
        var scope = await GatewayTestHost.ReadAsync(await underScoped.PostAsJsonAsync("/api/v1/messages", new { to = "+6281234567890", text = "hi" }));
        GatewayTestHost.AssertProblem(scope.Response, scope.Body, 403, "insufficient-scope");
        Assert.Contains("error=\"insufficient_scope\"", scope.Response.Headers.WwwAuthenticate.ToString());

        // A revoked token (RFC 7009) is refused at once: the API uses the same deny-list as userinfo.
        var appToken = await host.TokenAsync();
        using var app = host.Api(appToken);
        Assert.Equal(202, (int)(await app.PostAsJsonAsync("/api/v1/messages", new { to = "+6281234567890", text = "hi" })).StatusCode);
        using var http = host.Oidc.Server.CreateClient();
        var revoke = await http.PostAsync("/connect/revoke", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["token"] = appToken, ["client_id"] = "app", ["client_secret"] = host.AppSecret,
        }));
        Assert.Equal(200, (int)revoke.StatusCode);
        var revoked = await GatewayTestHost.ReadAsync(await app.PostAsJsonAsync("/api/v1/messages", new { to = "+6281234567890", text = "hi" }));
        GatewayTestHost.AssertProblem(revoked.Response, revoked.Body, 401, "invalid-token");
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Each_client_has_a_per_minute_limit_and_a_daily_message_quota(DatabaseProvider provider)
    {
        await using var host = await GatewayTestHost.StartAsync(provider, ("Gateway:RequestsPerMinute", "4"), ("Gateway:DailyMessageQuota", "2"));
        var other = await host.CreateApiClientAsync("other", ["wa.send"]);
        TokenTests.AtStartOfAMinute(host.Oidc.Server);
        using var app = host.Api(await host.TokenAsync());
        var statuses = new List<int>();
        for (var i = 0; i < 3; i++) statuses.Add((int)(await app.PostAsJsonAsync("/api/v1/messages", new { to = "+6281234567890", text = $"n{i}" })).StatusCode);
        Assert.Equal([202, 202, 429], statuses); // the daily quota: 2 messages
        var quota = await GatewayTestHost.ReadAsync(await app.PostAsJsonAsync("/api/v1/messages", new { to = "+6281234567890", text = "again" }));
        GatewayTestHost.AssertProblem(quota.Response, quota.Body, 429, "rate-limited");
        Assert.True(int.Parse(quota.Response.Headers.GetValues("Retry-After").Single()) > 0);
        // The 5th call this minute hits the per-minute limit even for a read.
        var limited = await GatewayTestHost.ReadAsync(await app.GetAsync("/api/v1/messages/" + Guid.NewGuid().ToString("N")));
        GatewayTestHost.AssertProblem(limited.Response, limited.Body, 429, "rate-limited");
        // Limits are per client: another client is unaffected.
        using var second = host.Api(await host.TokenAsync("other", other));
        Assert.Equal(202, (int)(await second.PostAsJsonAsync("/api/v1/messages", new { to = "+6281234567890", text = "mine" })).StatusCode);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Discovery_advertises_the_gateway_scopes_and_clients_can_be_granted_them(DatabaseProvider provider)
    {
        await using var host = await GatewayTestHost.StartAsync(provider);
        using var http = host.Oidc.Server.CreateClient();
        var discovery = JsonDocument.Parse(await http.GetStringAsync("/.well-known/openid-configuration")).RootElement;
        var scopes = discovery.GetProperty("scopes_supported").EnumerateArray().Select(s => s.GetString()).ToList();
        Assert.Contains("wa.send", scopes);
        Assert.Contains("wa.verify", scopes);
        Assert.Contains("wa.inbound", scopes);
        var r = await host.Oidc.TokenAsync(new() { ["grant_type"] = "client_credentials", ["scope"] = "wa.send wa.inbound" }, "app", host.AppSecret);
        Assert.Equal("wa.send wa.inbound", r.Body.GetProperty("scope").GetString());
    }
}
