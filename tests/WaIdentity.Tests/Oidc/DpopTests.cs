using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using WaIdentity.IdP.Oidc.Dpop;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Infrastructure;

namespace WaIdentity.Tests.Oidc;

/// <summary>
/// DPoP (RFC 9449) as openid-client drives it (tests/rp/dpop.mjs): bound tokens from the code flow, refresh and
/// client_credentials, userinfo with the DPoP scheme, introspection's cnf, dpop_jkt and PAR binding the code, a client
/// that must use DPoP, and the refusals (replay, htu, htm, iat, ath, key, bearer use, refresh with another key). Then
/// what needs the app's clock or two nodes: the iat window, nonce lifetime, and a replay refused by the other node.
/// </summary>
public sealed class DpopTests
{
    private static readonly string[] Checks =
    [
        "discovery lists dpop_signing_alg_values_supported (asymmetric algorithms only)",
        "the code flow with DPoP gives token_type DPoP and an access token bound to the key (cnf.jkt)",
        "userinfo answers a DPoP-bound token presented with the DPoP scheme and a proof",
        "a DPoP-bound token presented as Bearer is refused (401, DPoP error=\"invalid_token\")",
        "introspection shows the key (cnf.jkt) and token_type DPoP",
        "a refresh with another key is invalid_grant and does not spend the token",
        "a refresh without a proof is invalid_dpop_proof",
        "a refresh with the key gives a new DPoP-bound access token and a refresh token bound to the same key",
        "a replayed proof at the token endpoint is invalid_dpop_proof (the first use passed)",
        "a replayed proof at userinfo is refused (401 invalid_dpop_proof; the first use passed)",
        "a wrong htu (the userinfo URL) at the token endpoint is invalid_dpop_proof",
        "a wrong htu (another host) at the token endpoint is invalid_dpop_proof",
        "a wrong htm (GET) at the token endpoint is invalid_dpop_proof",
        "an old iat (two minutes ago) is invalid_dpop_proof",
        "an iat two minutes ahead is invalid_dpop_proof",
        "a proof without jti is invalid_dpop_proof",
        "typ JWT instead of dpop+jwt is invalid_dpop_proof",
        "a jwk with its private part is invalid_dpop_proof",
        "a proof signed with another key than its jwk is invalid_dpop_proof",
        "an htu with a query and fragment still matches (compared without them)",
        "a wrong htu (the token endpoint) at userinfo is refused (401 invalid_dpop_proof)",
        "a wrong htm (POST for a GET) at userinfo is refused (401 invalid_dpop_proof)",
        "an old iat at userinfo is refused (401 invalid_dpop_proof)",
        "a proof without ath at userinfo is refused (401 invalid_dpop_proof)",
        "a proof with the ath of another token at userinfo is refused (401 invalid_dpop_proof)",
        "a proof signed with another key at userinfo is refused (401 invalid_dpop_proof)",
        "userinfo without a token offers both schemes (Bearer and DPoP with algs)",
        "a bearer token without DPoP still works at userinfo, and is refused with the DPoP scheme",
        "dpop_jkt in the authorization request binds the code: another key is invalid_grant, the named key redeems it",
        "a code bound by dpop_jkt is not redeemed without a proof (invalid_dpop_proof)",
        "a DPoP proof at PAR binds the code to its key (another key is invalid_grant)",
        "an invalid dpop_jkt is refused at the authorization endpoint (invalid_request)",
        "a client registered with dpop_bound_access_tokens is refused a token without a proof (invalid_dpop_proof)",
        "a client registered with dpop_bound_access_tokens gets a DPoP-bound token with a proof",
        "client_credentials with DPoP gives a DPoP-bound token; the confidential client's tokens need no refresh binding",
        "the gateway API refuses a DPoP-bound token as Bearer (401) and takes an unbound one",
    ];

    private static readonly string[] NonceChecks =
    [
        "with nonces required, the token endpoint answers use_dpop_nonce with a DPoP-Nonce and openid-client's retry succeeds",
        "a proof without a nonce at the token endpoint is use_dpop_nonce (400) with a fresh DPoP-Nonce",
        "a made-up nonce is use_dpop_nonce",
        "userinfo without a nonce answers 401 DPoP error=\"use_dpop_nonce\" with a DPoP-Nonce; with it the call succeeds",
    ];

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Openid_client_gets_DPoP_bound_tokens_and_sees_every_refusal(DatabaseProvider provider)
    {
        await using var host = await OidcTestHost.StartAsync(provider);
        await OidcTestHost.RunChecksAsync("dpop.mjs", await ArgumentsAsync(host), Checks);
    }

    [Fact]
    public async Task With_nonces_required_openid_client_retries_with_the_server_nonce()
    {
        await using var host = await OidcTestHost.StartAsync(DatabaseProvider.Sqlite, new Dictionary<string, string?> { ["Oidc:Dpop:RequireNonce"] = "true" });
        await OidcTestHost.RunChecksAsync("dpop.mjs", new Dictionary<string, object>(await ArgumentsAsync(host)) { ["nonce"] = true }, NonceChecks);
    }

    [Fact]
    public async Task A_proof_is_accepted_within_the_iat_window_on_the_app_clock_and_refused_outside_it()
    {
        await using var host = await OidcTestHost.StartAsync(DatabaseProvider.Sqlite, new Dictionary<string, string?> { ["Oidc:Dpop:ProofWindowSeconds"] = "30" });
        await host.CreateClientAsync("spa", isPublic: true);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var tokenUrl = host.Issuer + "/connect/token";

        var now = await RefreshWithAsync(host, Proof(key, "POST", tokenUrl, DateTimeOffset.UtcNow));
        Assert.Equal("invalid_grant", now.Error); // the proof passed; the made-up refresh token did not

        host.Server.Clock.Advance(TimeSpan.FromSeconds(25));
        var inside = await RefreshWithAsync(host, Proof(key, "POST", tokenUrl, DateTimeOffset.UtcNow));
        Assert.Equal("invalid_grant", inside.Error); // 25 s old by the app's clock

        host.Server.Clock.Advance(TimeSpan.FromSeconds(10));
        var stale = await RefreshWithAsync(host, Proof(key, "POST", tokenUrl, DateTimeOffset.UtcNow));
        Assert.Equal(("invalid_dpop_proof", 400), (stale.Error, stale.Status)); // 35 s old
        Assert.Contains("iat", stale.Description);
    }

    [Fact]
    public async Task A_server_nonce_expires_after_its_lifetime_on_the_app_clock()
    {
        await using var host = await OidcTestHost.StartAsync(DatabaseProvider.Sqlite, new Dictionary<string, string?>
        {
            ["Oidc:Dpop:RequireNonce"] = "true", ["Oidc:Dpop:NonceLifetimeSeconds"] = "60", ["Oidc:Dpop:ProofWindowSeconds"] = "300",
        });
        await host.CreateClientAsync("spa", isPublic: true);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var tokenUrl = host.Issuer + "/connect/token";

        var asked = await RefreshWithAsync(host, Proof(key, "POST", tokenUrl, DateTimeOffset.UtcNow));
        Assert.Equal("use_dpop_nonce", asked.Error);
        Assert.NotNull(asked.Nonce);

        host.Server.Clock.Advance(TimeSpan.FromSeconds(50));
        var fresh = await RefreshWithAsync(host, Proof(key, "POST", tokenUrl, host.Server.Clock.GetUtcNow(), asked.Nonce));
        Assert.Equal("invalid_grant", fresh.Error);

        host.Server.Clock.Advance(TimeSpan.FromSeconds(20));
        var expired = await RefreshWithAsync(host, Proof(key, "POST", tokenUrl, host.Server.Clock.GetUtcNow(), asked.Nonce));
        Assert.Equal("use_dpop_nonce", expired.Error);
        Assert.NotEqual(asked.Nonce, expired.Nonce);
    }

    [Fact]
    public async Task A_proof_used_on_one_node_is_refused_on_the_other()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.PostgreSQL);
        var settings = new Dictionary<string, string?>
        {
            ["Oidc:Issuer"] = "https://id.dpop.test",
            ["Oidc:Clients:0:ClientId"] = "spa", ["Oidc:Clients:0:Public"] = "true", ["Oidc:Clients:0:RedirectUris:0"] = OidcTestHost.Callback,
            ["Oidc:Clients:0:Scopes:0"] = "openid", ["Oidc:Clients:0:GrantTypes:0"] = "authorization_code", ["Oidc:Clients:0:GrantTypes:1"] = "refresh_token",
        };
        await using var a = await IdpTestServer.StartAsync(db, settings);
        await using var b = await IdpTestServer.StartAsync(db, settings);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var proof = Proof(key, "POST", "https://id.dpop.test/connect/token", DateTimeOffset.UtcNow);

        var onA = await RefreshWithAsync(a, proof);
        var onB = await RefreshWithAsync(b, proof);

        Assert.Equal("invalid_grant", onA.Error);
        Assert.Equal("invalid_dpop_proof", onB.Error);
        Assert.Contains("replay", onB.Description);
    }

    [Theory]
    [InlineData("https://id.example/connect/token", "https://id.example/connect/token", true)]
    [InlineData("https://ID.Example:443/connect/token?x=1#f", "https://id.example/connect/token", true)]
    [InlineData("https://id.example/connect/./token", "https://id.example/connect/token", true)]
    [InlineData("http://id.example/connect/token", "https://id.example/connect/token", false)]
    [InlineData("https://id.example:8443/connect/token", "https://id.example/connect/token", false)]
    [InlineData("https://id.example/connect/Token", "https://id.example/connect/token", false)]
    [InlineData("https://id.example/connect/token/", "https://id.example/connect/token", false)]
    [InlineData("/connect/token", "https://id.example/connect/token", false)]
    public void Htu_is_compared_without_query_and_fragment_after_normalization(string htu, string expected, bool matches) =>
        Assert.Equal(matches, DpopTargetUri.Matches(htu, expected));

    private static async Task<Dictionary<string, object>> ArgumentsAsync(OidcTestHost host)
    {
        await host.CreateClientAsync("spa", isPublic: true);
        await host.CreateClientAsync("strict", isPublic: true, requireDpop: true);
        var rs = await host.CreateClientAsync("rs");
        var api = await host.CreateClientAsync("api", grants: ["client_credentials"], scopes: ["inventory.read", "wa.send"]);
        return new()
        {
            ["issuer"] = host.Issuer, ["redirectUri"] = OidcTestHost.Callback, ["email"] = OidcTestHost.Email, ["password"] = OidcTestHost.Password,
            ["spa"] = new { clientId = "spa" }, ["strict"] = new { clientId = "strict" },
            ["rs"] = new { clientId = "rs", clientSecret = rs }, ["api"] = new { clientId = "api", clientSecret = api, scope = "inventory.read" },
        };
    }

    private sealed record TokenAnswer(int Status, string? Error, string? Description, string? Nonce);

    private static Task<TokenAnswer> RefreshWithAsync(OidcTestHost host, string proof) => RefreshWithAsync(host.Server, proof);

    /// <summary>A refresh with a made-up token: a proof that passes reaches the grant (invalid_grant); one that fails does not.</summary>
    private static async Task<TokenAnswer> RefreshWithAsync(IdpTestServer server, string proof)
    {
        using var http = server.CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = "made-up", ["client_id"] = "spa" }),
        };
        request.Headers.Add("DPoP", proof);
        var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return new TokenAnswer((int)response.StatusCode, body.GetProperty("error").GetString(), body.GetProperty("error_description").GetString(),
            response.Headers.TryGetValues("DPoP-Nonce", out var n) ? n.Single() : null);
    }

    /// <summary>A DPoP proof (RFC 9449 4.2) signed with <paramref name="key"/>, its public part in the jwk header.</summary>
    private static string Proof(ECDsa key, string method, string url, DateTimeOffset issuedAt, string? nonce = null)
    {
        var p = key.ExportParameters(false);
        var claims = new Dictionary<string, object>
        {
            ["jti"] = Guid.NewGuid().ToString("N"), ["htm"] = method, ["htu"] = url, ["iat"] = issuedAt.ToUnixTimeSeconds(),
        };
        if (nonce is not null) claims["nonce"] = nonce;
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims, TokenType = "dpop+jwt",
            AdditionalHeaderClaims = new Dictionary<string, object>
            {
                ["jwk"] = new Dictionary<string, object>
                {
                    ["kty"] = "EC", ["crv"] = "P-256", ["x"] = Base64UrlEncoder.Encode(p.Q.X), ["y"] = Base64UrlEncoder.Encode(p.Q.Y),
                },
            },
            SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(key), SecurityAlgorithms.EcdsaSha256),
        });
    }
}
