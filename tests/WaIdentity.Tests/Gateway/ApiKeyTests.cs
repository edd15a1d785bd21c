using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using WaIdentity.IdP.Gateway;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Channel;
using WaIdentity.Tests.Infrastructure;

namespace WaIdentity.Tests.Gateway;

/// <summary>
/// Long-lived API keys (stored hashed, shown once, scoped, revocable) as an alternative to client_credentials tokens,
/// and per-client daily quotas that override the server-wide ones.
/// </summary>
public sealed class ApiKeyTests
{
    private static Task<(NewApiKey? Key, List<GatewayFieldProblem> Problems)> CreateKeyAsync(GatewayTestHost host, string clientId, params string[] scopes) =>
        host.Oidc.Server.InScopeAsync(sp => sp.GetRequiredService<GatewayApiKeys>().CreateAsync(clientId, "shop server", scopes));

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_api_key_sends_with_its_scopes_until_it_is_revoked_and_only_its_hash_is_stored(DatabaseProvider provider)
    {
        await using var host = await GatewayTestHost.StartAsync(provider);
        await host.CreateApiClientAsync("sender", ["wa.send"]);
        var (made, problems) = await CreateKeyAsync(host, "app", "wa.send");
        Assert.Empty(problems);
        var key = made!.Key;
        Assert.StartsWith("wak_", key);
        var phone = ChannelTestKit.NewPhone();
        await host.SendInboundAsync(phone, "Halo");

        using var bearer = host.Api(key);
        var sent = await GatewayTestHost.ReadAsync(await bearer.PostAsJsonAsync("/api/v1/messages", new { to = phone, text = "Sent with a key" }));
        Assert.Equal(202, sent.Status);
        // WhatsAuth's header and route take the same key.
        using var http = host.Api(null);
        using var whatsAuth = new HttpRequestMessage(HttpMethod.Post, "/api/v2/send/message/text") { Content = JsonContent.Create(new { to = phone.TrimStart('+'), messages = "Sent with WhatsAuth's header" }) };
        whatsAuth.Headers.Add("Token", key);
        Assert.Equal(200, (int)(await http.SendAsync(whatsAuth)).StatusCode);
        await ChannelTestKit.InboxWhenAsync(host.Oidc.Server, phone, m => m.Count == 2);

        // Scoped: this key was given wa.send only; a scope the client lacks cannot be given at all.
        var verify = await GatewayTestHost.ReadAsync(await bearer.GetAsync("/api/v1/verification_code"));
        GatewayTestHost.AssertProblem(verify.Response, verify.Body, 403, "insufficient-scope");
        var (none, refused) = await CreateKeyAsync(host, "sender", "wa.verify");
        Assert.Null(none);
        Assert.Contains(refused, p => p.ToString().StartsWith("scope:"));

        // Stored hashed: the row holds the hash and a short prefix, never the key.
        var row = await host.Oidc.Server.InScopeAsync(sp => sp.GetRequiredService<IdpDbContext>().Set<GatewayApiKey>().AsNoTracking().SingleAsync(k => k.Id == made.Record.Id));
        Assert.DoesNotContain(key, string.Join("|", row.Hash, row.Prefix, row.Name, row.Scopes));
        Assert.Equal(key[..12], row.Prefix);
        Assert.NotNull(row.LastUsedAt);

        Assert.True(await host.Oidc.Server.InScopeAsync(sp => sp.GetRequiredService<GatewayApiKeys>().RevokeAsync("app", made.Record.Id)));
        var revoked = await GatewayTestHost.ReadAsync(await bearer.PostAsJsonAsync("/api/v1/messages", new { to = phone, text = "After revocation" }));
        GatewayTestHost.AssertProblem(revoked.Response, revoked.Body, 401, "invalid-token");
        using var forged = host.Api("wak_" + new string('A', 43));
        var unknown = await GatewayTestHost.ReadAsync(await forged.PostAsJsonAsync("/api/v1/messages", new { to = phone, text = "Forged" }));
        GatewayTestHost.AssertProblem(unknown.Response, unknown.Body, 401, "invalid-token");
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_clients_own_daily_quota_is_enforced_with_429_and_Retry_After_and_others_keep_the_server_quota(DatabaseProvider provider)
    {
        await using var host = await GatewayTestHost.StartAsync(provider);
        var otherSecret = await host.CreateApiClientAsync("other", ["wa.send"]);
        Assert.Empty(await host.Oidc.Server.InScopeAsync(sp => sp.GetRequiredService<GatewayClientSettings>().SetQuotasAsync("app", 1, null)));
        Assert.NotEmpty(await host.Oidc.Server.InScopeAsync(sp => sp.GetRequiredService<GatewayClientSettings>().SetQuotasAsync("app", -1, null)));
        using var app = host.Api(await host.TokenAsync());
        using var other = host.Api(await host.TokenAsync("other", otherSecret));

        Assert.Equal(202, (int)(await app.PostAsJsonAsync("/api/v1/messages", new { to = ChannelTestKit.NewPhone(), text = "first" })).StatusCode);
        var over = await GatewayTestHost.ReadAsync(await app.PostAsJsonAsync("/api/v1/messages", new { to = ChannelTestKit.NewPhone(), text = "second" }));
        GatewayTestHost.AssertProblem(over.Response, over.Body, 429, "rate-limited");
        Assert.True(over.Response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Contains("daily messages quota", over.Body.GetProperty("detail").GetString());

        foreach (var text in new[] { "first", "second" })
            Assert.Equal(202, (int)(await other.PostAsJsonAsync("/api/v1/messages", new { to = ChannelTestKit.NewPhone(), text })).StatusCode);
    }
}
