using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.JsonWebTokens;
using WaIdentity.IdP.Oidc.Keys;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Infrastructure;

namespace WaIdentity.Tests.Oidc;

public sealed class SigningKeyTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Jwks_publishes_the_signing_key_and_the_private_half_is_stored_encrypted(DatabaseProvider provider)
    {
        await using var host = await OidcTestHost.StartAsync(provider);
        var secret = await host.CreateClientAsync("svc", grants: ["client_credentials"], scopes: ["gateway.send"]);
        var token = (await host.TokenAsync(new() { ["grant_type"] = "client_credentials" }, "svc", secret)).Body.GetProperty("access_token").GetString()!;

        var jwks = await JwksAsync(host);
        var kid = new JsonWebToken(token).Kid;
        var key = Assert.Single(jwks, k => k.GetProperty("kid").GetString() == kid);
        Assert.Equal("EC", key.GetProperty("kty").GetString());
        Assert.Equal("ES256", key.GetProperty("alg").GetString());
        Assert.False(key.TryGetProperty("d", out _));

        var stored = await host.Server.InScopeAsync(sp => sp.GetRequiredService<IdpDbContext>().Set<SigningKey>().SingleAsync(k => k.Id == kid));
        Assert.StartsWith("CfDJ8", stored.ProtectedPrivateKey); // a Data Protection payload, not a PKCS#8 key
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_next_key_is_published_before_it_signs_and_only_one_node_creates_it(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var nodeA = await IdpTestServer.StartAsync(db);
        await using var nodeB = await IdpTestServer.StartAsync(db);
        var storeA = nodeA.Services.GetRequiredService<SigningKeyStore>();
        var storeB = nodeB.Services.GetRequiredService<SigningKeyStore>();
        var first = (await storeA.GetSigningKeyAsync("ES256")).Row;
        Assert.Empty(await RotatedAsync(nodeA, storeA)); // not due yet: nothing created
        // Time passes: the key now retires within the publish-ahead window (48 h by default).
        var retiresAt = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddHours(5).ToUnixTimeMilliseconds());
        await nodeA.InScopeAsync(sp => sp.GetRequiredService<IdpDbContext>().Set<SigningKey>().Where(k => k.Id == first.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(k => k.RetiresAt, retiresAt)));

        await Task.WhenAll(storeA.RotateAsync(), storeB.RotateAsync(), storeA.RotateAsync(), storeB.RotateAsync());

        var rows = await nodeA.InScopeAsync(sp => sp.GetRequiredService<IdpDbContext>().Set<SigningKey>().Where(k => k.Algorithm == "ES256").ToListAsync());
        Assert.Equal([1, 2], rows.Select(r => r.Generation).Order());
        var next = rows.Single(r => r.Generation == 2);
        Assert.Equal(retiresAt, next.ActivatesAt);
        Assert.Equal(first.Id, (await storeB.GetSigningKeyAsync("ES256")).Row.Id); // the old key still signs
        using var http = nodeB.CreateClient();
        var jwks = JsonDocument.Parse(await http.GetStringAsync("/.well-known/jwks.json")).RootElement.GetProperty("keys");
        Assert.Contains(jwks.EnumerateArray(), k => k.GetProperty("kid").GetString() == next.Id);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Concurrent_first_token_requests_on_two_nodes_all_succeed_with_one_key(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var nodeA = await IdpTestServer.StartAsync(db);
        await using var nodeB = await IdpTestServer.StartAsync(db);
        var keys = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            (i % 2 == 0 ? nodeA : nodeB).Services.GetRequiredService<SigningKeyStore>().GetSigningKeyAsync("ES256")));
        Assert.Single(keys.Select(k => k.Row.Id).Distinct());
    }

    private static async Task<List<SigningKey>> RotatedAsync(IdpTestServer node, SigningKeyStore store)
    {
        await store.RotateAsync();
        return await node.InScopeAsync(sp => sp.GetRequiredService<IdpDbContext>().Set<SigningKey>().Where(k => k.Generation > 1).ToListAsync());
    }

    private static async Task<List<JsonElement>> JwksAsync(OidcTestHost host)
    {
        using var http = host.Server.CreateClient();
        var response = await http.GetAsync("/.well-known/jwks.json");
        Assert.Contains("max-age", response.Headers.CacheControl!.ToString());
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("keys").EnumerateArray().Select(e => e.Clone()).ToList();
    }
}
