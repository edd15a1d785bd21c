using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WaIdentity.IdP.Oidc;
using WaIdentity.IdP.Oidc.Clients;
using WaIdentity.IdP.Oidc.Grants;
using WaIdentity.IdP.Oidc.Keys;
using WaIdentity.IdP.Oidc.Tokens;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Infrastructure;

namespace WaIdentity.Tests.Oidc;

/// <summary>The token endpoint's grants and RFC 6749 5.2 errors, as a client sees them.</summary>
public sealed class TokenTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_reused_code_is_invalid_grant_and_revokes_the_tokens_it_issued(DatabaseProvider provider)
    {
        await using var host = await OidcTestHost.StartAsync(provider);
        var secret = await host.CreateClientAsync("shop");
        var (code, verifier) = await host.CodeAsync("shop");

        var first = await host.TokenAsync(host.CodeForm(code, verifier), "shop", secret);
        Assert.Equal(200, first.Status);
        Assert.Equal("no-store", first.Response.Headers.CacheControl!.ToString());
        var access = first.Body.GetProperty("access_token").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await UserInfoAsync(host, access)).Status);

        var second = await host.TokenAsync(host.CodeForm(code, verifier), "shop", secret);
        Assert.Equal(400, second.Status);
        Assert.Equal("invalid_grant", second.Body.GetProperty("error").GetString());

        Assert.Equal(HttpStatusCode.Unauthorized, (await UserInfoAsync(host, access)).Status);
        var refresh = await host.TokenAsync(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = first.Body.GetProperty("refresh_token").GetString()! }, "shop", secret);
        Assert.Equal("invalid_grant", refresh.Body.GetProperty("error").GetString());
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Reusing_a_rotated_refresh_token_revokes_the_whole_family(DatabaseProvider provider)
    {
        await using var host = await OidcTestHost.StartAsync(provider);
        var issued = await host.PublicClientTokensAsync("app");
        var first = issued.GetProperty("refresh_token").GetString()!;

        Dictionary<string, string> Refresh(string token) => new() { ["grant_type"] = "refresh_token", ["refresh_token"] = token, ["client_id"] = "app" };
        var rotated = await host.TokenAsync(Refresh(first));
        Assert.Equal(200, rotated.Status);
        var second = rotated.Body.GetProperty("refresh_token").GetString()!;
        Assert.NotEqual(first, second);
        var newestAccess = rotated.Body.GetProperty("access_token").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await UserInfoAsync(host, newestAccess)).Status);

        var replay = await host.TokenAsync(Refresh(first));
        Assert.Equal(400, replay.Status);
        Assert.Equal("invalid_grant", replay.Body.GetProperty("error").GetString());
        // The legitimate holder's newest token died with the family.
        Assert.Equal("invalid_grant", (await host.TokenAsync(Refresh(second))).Body.GetProperty("error").GetString());
        // So did every access token issued from the family: whoever holds the newest one is refused at once.
        Assert.Equal(HttpStatusCode.Unauthorized, (await UserInfoAsync(host, newestAccess)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await UserInfoAsync(host, issued.GetProperty("access_token").GetString()!)).Status);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Concurrent_refreshes_with_one_token_give_exactly_one_new_token(DatabaseProvider provider)
    {
        await using var host = await OidcTestHost.StartAsync(provider);
        var token = (await host.PublicClientTokensAsync("app")).GetProperty("refresh_token").GetString()!;

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => host.TokenAsync(new()
        {
            ["grant_type"] = "refresh_token", ["refresh_token"] = token, ["client_id"] = "app",
        })));

        // One winner; every other request is a reuse (which ends the family), never a second valid token.
        var winner = Assert.Single(answers, a => a.Status == 200).Body.GetProperty("refresh_token").GetString()!;
        Assert.All(answers.Where(a => a.Status != 200), a => Assert.Equal("invalid_grant", a.Body.GetProperty("error").GetString()));
        // The losers came after the winner's commit (one writer, or the row lock), so the family they revoked holds the winner's token.
        var next = await host.TokenAsync(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = winner, ["client_id"] = "app" });
        Assert.Equal("invalid_grant", next.Body.GetProperty("error").GetString());
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_refused_refresh_does_not_spend_the_token(DatabaseProvider provider)
    {
        await using var host = await OidcTestHost.StartAsync(provider);
        var token = (await host.PublicClientTokensAsync("app")).GetProperty("refresh_token").GetString()!;
        var otherSecret = await host.CreateClientAsync("shop");
        Dictionary<string, string> Refresh() => new() { ["grant_type"] = "refresh_token", ["refresh_token"] = token };

        // Another client's token, and a scope beyond the grant (refused after the token was consumed: rolled back)...
        Assert.Equal("invalid_grant", (await host.TokenAsync(Refresh(), "shop", otherSecret)).Body.GetProperty("error").GetString());
        var wider = await host.TokenAsync(new(Refresh()) { ["client_id"] = "app", ["scope"] = "openid admin" });
        Assert.Equal("invalid_scope", wider.Body.GetProperty("error").GetString());

        // ...leave it unspent: its owner still rotates it (a spent token would be a reuse, invalid_grant).
        Assert.Equal(200, (await host.TokenAsync(new(Refresh()) { ["client_id"] = "app" })).Status);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Bad_client_authentication_is_401_invalid_client_with_www_authenticate(DatabaseProvider provider)
    {
        await using var host = await OidcTestHost.StartAsync(provider);
        var secret = await host.CreateClientAsync("svc", grants: ["client_credentials"], scopes: ["gateway.send"]);
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials" };

        foreach (var (id, s) in new[] { ("svc", secret + "x"), ("svc", "short"), ("ghost", secret!) })
        {
            var r = await host.TokenAsync(form, id, s);
            Assert.Equal(401, r.Status);
            Assert.Equal("invalid_client", r.Body.GetProperty("error").GetString());
            Assert.StartsWith("Basic", r.Response.Headers.WwwAuthenticate.ToString());
        }
        var noAuth = await host.TokenAsync(form);
        Assert.Equal(401, noAuth.Status);
        var post = await host.TokenAsync(new(form) { ["client_id"] = "svc", ["client_secret"] = secret! });
        Assert.Equal(200, post.Status); // client_secret_post works too
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Client_credentials_gives_an_rfc9068_access_token_for_api_scopes_only(DatabaseProvider provider)
    {
        await using var host = await OidcTestHost.StartAsync(provider);
        var secret = await host.CreateClientAsync("svc", grants: ["client_credentials"], scopes: ["gateway.send", "gateway.verify"]);
        await host.CreateClientAsync("spa", isPublic: true, grants: ["authorization_code", "client_credentials"]);

        var r = await host.TokenAsync(new() { ["grant_type"] = "client_credentials", ["scope"] = "gateway.send" }, "svc", secret);
        Assert.Equal(200, r.Status);
        Assert.Equal("gateway.send", r.Body.GetProperty("scope").GetString());
        Assert.False(r.Body.TryGetProperty("id_token", out _));
        Assert.False(r.Body.TryGetProperty("refresh_token", out _));
        var jwt = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(r.Body.GetProperty("access_token").GetString());
        Assert.Equal("at+jwt", jwt.Typ);
        Assert.Equal("ES256", jwt.Alg);
        Assert.Equal("svc", jwt.GetPayloadValue<string>("client_id"));

        var introspect = await IntrospectAsync(host, r.Body.GetProperty("access_token").GetString()!, "svc", secret!);
        Assert.True(introspect.GetProperty("active").GetBoolean());
        Assert.Equal("gateway.send", introspect.GetProperty("scope").GetString());

        Assert.Equal("invalid_scope", (await host.TokenAsync(new() { ["grant_type"] = "client_credentials", ["scope"] = "openid" }, "svc", secret)).Body.GetProperty("error").GetString());
        Assert.Equal("unauthorized_client", (await host.TokenAsync(new() { ["grant_type"] = "client_credentials", ["client_id"] = "spa" })).Body.GetProperty("error").GetString());
        Assert.Equal("unsupported_grant_type", (await host.TokenAsync(new() { ["grant_type"] = "password", ["username"] = "a", ["password"] = "b" }, "svc", secret)).Body.GetProperty("error").GetString());
        Assert.Equal("unauthorized_client", (await host.TokenAsync(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = "x" }, "svc", secret)).Body.GetProperty("error").GetString());
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Codes_are_bound_to_redirect_uri_pkce_verifier_and_client(DatabaseProvider provider)
    {
        await using var host = await OidcTestHost.StartAsync(provider);
        var secret = await host.CreateClientAsync("shop");
        var other = await host.CreateClientAsync("other");

        var (code, verifier) = await host.CodeAsync("shop");
        var wrongRedirect = host.CodeForm(code, verifier);
        wrongRedirect["redirect_uri"] = "http://127.0.0.1:9/other";
        Assert.Equal("invalid_grant", (await host.TokenAsync(wrongRedirect, "shop", secret)).Body.GetProperty("error").GetString());
        Assert.Equal("invalid_grant", (await host.TokenAsync(host.CodeForm(code, OidcTestHost.NewPkce().Verifier), "shop", secret)).Body.GetProperty("error").GetString());
        Assert.Equal("invalid_grant", (await host.TokenAsync(host.CodeForm(code, verifier), "other", other)).Body.GetProperty("error").GetString());
        Assert.Equal(200, (await host.TokenAsync(host.CodeForm(code, verifier), "shop", secret)).Status);

        // PKCE downgrade (RFC 9700 2.1.1): a verifier for a code issued without a challenge.
        var result = await host.FollowAsync(host.Browser(), OidcTestHost.AuthorizeUrl("shop"));
        var plainCode = result.Query("code")!;
        var downgrade = await host.TokenAsync(host.CodeForm(plainCode, OidcTestHost.NewPkce().Verifier), "shop", secret);
        Assert.Equal("invalid_grant", downgrade.Body.GetProperty("error").GetString());
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_token_endpoint_limits_requests_per_client(DatabaseProvider provider)
    {
        await using var host = await OidcTestHost.StartAsync(provider, new Dictionary<string, string?> { ["Oidc:TokenRequestsPerClientPerMinute"] = "3" });
        var secret = await host.CreateClientAsync("svc", grants: ["client_credentials"], scopes: ["gateway.send"]);
        AtStartOfAMinute(host.Server);
        var statuses = new List<int>();
        for (var i = 0; i < 4; i++) statuses.Add((await host.TokenAsync(new() { ["grant_type"] = "client_credentials" }, "svc", secret)).Status);
        Assert.Equal([200, 200, 200, 429], statuses);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_token_limit_holds_across_nodes(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var settings = new Dictionary<string, string?> { ["Oidc:TokenRequestsPerClientPerMinute"] = "4" };
        await using var nodeA = await IdpTestServer.StartAsync(db, settings);
        await using var nodeB = await IdpTestServer.StartAsync(db, settings);
        var (_, secret) = await nodeA.InScopeAsync(sp => sp.GetRequiredService<WaIdentity.IdP.Oidc.Clients.ClientRegistry>().CreateAsync(
            new() { ClientId = "svc", GrantTypes = ["client_credentials"], Scopes = ["gateway.send"] }));
        async Task<int> Hit(IdpTestServer node)
        {
            using var http = node.CreateClient();
            var r = await http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials", ["client_id"] = "svc", ["client_secret"] = secret!,
            }));
            return (int)r.StatusCode;
        }
        async Task Share(IdpTestServer node) => await node.Services.GetRequiredService<WaIdentity.IdP.Oidc.Grants.TokenRateLimiter>().FlushAsync(default);

        AtStartOfAMinute(nodeA, nodeB);
        for (var i = 0; i < 3; i++) Assert.Equal(200, await Hit(nodeA));
        await Share(nodeA);
        Assert.Equal(200, await Hit(nodeB)); // the fourth request of the minute, on the other node
        await Share(nodeB);
        Assert.Equal(429, await Hit(nodeB));
        await Share(nodeA);
        Assert.Equal(429, await Hit(nodeA));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_expired_authorization_code_is_invalid_grant(DatabaseProvider provider)
    {
        await using var host = await OidcTestHost.StartAsync(provider, new Dictionary<string, string?> { ["Oidc:AuthorizationCodeLifetimeSeconds"] = "5" });
        var secret = await host.CreateClientAsync("shop");
        var browser = host.Browser();
        var (fresh, freshVerifier) = await host.CodeAsync("shop", browser);
        Assert.Equal(200, (await host.TokenAsync(host.CodeForm(fresh, freshVerifier), "shop", secret)).Status);

        var (code, verifier) = await host.CodeAsync("shop", browser);
        host.Server.Clock.Advance(TimeSpan.FromSeconds(6));
        var late = await host.TokenAsync(host.CodeForm(code, verifier), "shop", secret);
        Assert.Equal(400, late.Status);
        Assert.Equal("invalid_grant", late.Body.GetProperty("error").GetString());
        Assert.False(late.Body.TryGetProperty("access_token", out _));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Refresh_tokens_end_after_the_idle_lifetime_and_their_family_after_the_absolute_lifetime(DatabaseProvider provider)
    {
        await using var host = await OidcTestHost.StartAsync(provider, new Dictionary<string, string?>
        {
            ["Oidc:RefreshTokenIdleHours"] = "1", ["Oidc:RefreshTokenAbsoluteHours"] = "2",
        });
        var secret = await host.CreateClientAsync("shop");
        async Task<(int Status, JsonElement Body)> Refresh(string token)
        {
            var r = await host.TokenAsync(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = token }, "shop", secret);
            return (r.Status, r.Body);
        }

        // Idle lifetime: a token last issued 59 minutes ago still works, one issued 61 minutes ago does not.
        Assert.Equal(200, (await Refresh(await IssueRefreshTokenAsync(host, TimeSpan.FromMinutes(-59)))).Status);
        var idle = await Refresh(await IssueRefreshTokenAsync(host, TimeSpan.FromMinutes(-61)));
        Assert.Equal((400, "invalid_grant"), (idle.Status, idle.Body.GetProperty("error").GetString()));

        // Absolute lifetime: rotated 30 minutes ago (idle is fine), but the family began with a login 121 minutes ago.
        var old = await IssueRefreshTokenAsync(host, TimeSpan.FromMinutes(-121), rotatedAgo: TimeSpan.FromMinutes(-30));
        var ended = await Refresh(old);
        Assert.Equal((400, "invalid_grant"), (ended.Status, ended.Body.GetProperty("error").GetString()));

        // A family 119 minutes old still refreshes, but its next token lives only to the family's end, not an idle hour.
        var young = await Refresh(await IssueRefreshTokenAsync(host, TimeSpan.FromMinutes(-119), rotatedAgo: TimeSpan.FromMinutes(-30)));
        Assert.Equal(200, young.Status);
        var next = await IntrospectAsync(host, young.Body.GetProperty("refresh_token").GetString()!, "shop", secret!);
        Assert.True(next.GetProperty("active").GetBoolean());
        Assert.InRange(next.GetProperty("exp").GetInt64() - DateTimeOffset.UtcNow.ToUnixTimeSeconds(), 0, 90);
    }

    /// <summary>
    /// A refresh token for the test user as the server's own store issues it, at a shifted clock: the family begins
    /// <paramref name="loginAgo"/> (negative) and, if <paramref name="rotatedAgo"/> is given, was rotated then.
    /// </summary>
    private static Task<string> IssueRefreshTokenAsync(OidcTestHost host, TimeSpan loginAgo, TimeSpan? rotatedAgo = null) => host.Server.InScopeAsync(async sp =>
    {
        var db = sp.GetRequiredService<IdpDbContext>();
        var options = sp.GetRequiredService<IOptions<OidcOptions>>();
        var auth = new Authentication(host.UserId, "sid-test", DateTimeOffset.UtcNow + loginAgo, "pwd", "urn:waidentity:loa:1");
        const string scope = "openid profile offline_access";
        var first = await new RefreshTokenStore(db, new ShiftedClock(loginAgo), options).IssueAsync("shop", auth, scope, null, null, null, null, default);
        if (rotatedAgo is not { } rotated) return first;
        var previous = await db.Set<RefreshToken>().AsNoTracking().SingleAsync(t => t.Id == OpaqueToken.Hash(first));
        return await new RefreshTokenStore(db, new ShiftedClock(rotated), options).IssueAsync("shop", auth, scope, null, previous, null, null, default);
    });

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_expired_access_token_is_inactive_at_introspection_and_refused_by_userinfo(DatabaseProvider provider)
    {
        await using var host = await OidcTestHost.StartAsync(provider);
        var secret = await host.CreateClientAsync("shop");
        var current = await IssueAccessTokenAsync(host, TimeSpan.Zero);
        var expired = await IssueAccessTokenAsync(host, TimeSpan.FromMinutes(-11)); // the lifetime is 10 minutes

        Assert.True((await IntrospectAsync(host, current, "shop", secret!)).GetProperty("active").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await UserInfoAsync(host, current)).Status);

        var introspected = await IntrospectAsync(host, expired, "shop", secret!);
        Assert.False(introspected.GetProperty("active").GetBoolean());
        Assert.Single(introspected.EnumerateObject()); // nothing about the token but that it is not active
        var (status, _, challenge) = await UserInfoWithChallengeAsync(host, expired);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("error=\"invalid_token\"", challenge);
    }

    /// <summary>An access token for the test user signed with the server's key, issued <paramref name="ago"/> (negative) by a shifted clock.</summary>
    private static Task<string> IssueAccessTokenAsync(OidcTestHost host, TimeSpan ago) => host.Server.InScopeAsync(async sp =>
    {
        var client = (await sp.GetRequiredService<ClientRegistry>().FindAsync("shop"))!;
        var issuer = new TokenIssuer(sp.GetRequiredService<SigningKeyStore>(), new ShiftedClock(ago), sp.GetRequiredService<IOptions<OidcOptions>>());
        return (await issuer.CreateAccessTokenAsync(host.Issuer, client, host.UserId, "openid profile phone", null, null, default)).Token;
    });

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Userinfo_answers_a_post_and_refuses_a_token_without_openid_with_insufficient_scope(DatabaseProvider provider)
    {
        await using var host = await OidcTestHost.StartAsync(provider);
        var secret = await host.CreateClientAsync("shop");
        var (code, verifier) = await host.CodeAsync("shop");
        var tokens = (await host.TokenAsync(host.CodeForm(code, verifier), "shop", secret)).Body;
        var access = tokens.GetProperty("access_token").GetString()!;
        using var http = host.Server.CreateClient();

        // RFC 6750 2.1 (header) and 2.2 (form body) on POST.
        var withHeader = new HttpRequestMessage(HttpMethod.Post, "/connect/userinfo") { Content = new FormUrlEncodedContent([]) };
        withHeader.Headers.Authorization = new AuthenticationHeaderValue("Bearer", access);
        var inForm = new HttpRequestMessage(HttpMethod.Post, "/connect/userinfo") { Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["access_token"] = access }) };
        foreach (var request in new[] { withHeader, inForm })
        {
            var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var claims = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(host.UserId, claims.GetProperty("sub").GetString());
            Assert.Equal(OidcTestHost.Phone, claims.GetProperty("phone_number").GetString());
        }

        // A refresh narrowed to offline_access gives an access token without openid: not for userinfo (RFC 6750 3.1).
        var narrowed = await host.TokenAsync(new()
        {
            ["grant_type"] = "refresh_token", ["refresh_token"] = tokens.GetProperty("refresh_token").GetString()!, ["scope"] = "offline_access",
        }, "shop", secret);
        Assert.Equal("offline_access", narrowed.Body.GetProperty("scope").GetString());
        var (status, body, challenge) = await UserInfoWithChallengeAsync(host, narrowed.Body.GetProperty("access_token").GetString()!);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("error=\"insufficient_scope\"", challenge);
        Assert.DoesNotContain(host.UserId, body);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Introspection_by_a_public_client_is_refused(DatabaseProvider provider)
    {
        await using var host = await OidcTestHost.StartAsync(provider);
        var access = (await host.PublicClientTokensAsync("spa")).GetProperty("access_token").GetString()!;

        using var http = host.Server.CreateClient();
        var response = await http.PostAsync("/connect/introspect", new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = access, ["client_id"] = "spa" }));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_client", body.GetProperty("error").GetString());
        Assert.False(body.TryGetProperty("active", out _));
        Assert.False(body.TryGetProperty("sub", out _));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Every_oauth_endpoint_refuses_a_wrong_secret_and_a_body_that_is_not_a_form_with_the_same_rfc6749_answer(DatabaseProvider provider)
    {
        await using var host = await OidcTestHost.StartAsync(provider);
        var secret = await host.CreateClientAsync("svc", grants: ["client_credentials"], scopes: ["gateway.send"]);
        using var http = host.Server.CreateClient();

        foreach (var path in new[] { "/connect/token", "/connect/introspect", "/connect/revoke", "/connect/par", "/connect/device" })
        {
            var request = new HttpRequestMessage(HttpMethod.Post, path)
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["token"] = "any" }),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"svc:{secret}x")));
            var refused = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal("""{"error":"invalid_client","error_description":"Client authentication failed."}""", await refused.Content.ReadAsStringAsync());
            Assert.Equal("Basic realm=\"WaIdentity\", charset=\"UTF-8\"", refused.Headers.NonValidated["WWW-Authenticate"].ToString());
            Assert.True(refused.Headers.CacheControl!.NoStore, path);
            Assert.Equal("no-cache", refused.Headers.Pragma.ToString());

            var notAForm = await http.PostAsync(path, new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.BadRequest, notAForm.StatusCode);
            Assert.Equal("""{"error":"invalid_request","error_description":"The request must be application/x-www-form-urlencoded."}""", await notAForm.Content.ReadAsStringAsync());
            Assert.False(notAForm.Headers.Contains("WWW-Authenticate"), path);
            Assert.True(notAForm.Headers.CacheControl!.NoStore, path);
        }
    }

    /// <summary>A clock that runs <paramref name="offset"/> from now: what the server's services would have done then.</summary>
    private sealed class ShiftedClock(TimeSpan offset) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + offset;
    }

    private static async Task<(HttpStatusCode Status, string Body, string Challenge)> UserInfoWithChallengeAsync(OidcTestHost host, string accessToken)
    {
        using var http = host.Server.CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Get, "/connect/userinfo");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.WwwAuthenticate.ToString());
    }

    /// <summary>
    /// Limits count per clock minute; a test that straddled two minutes would see two budgets. Moves the servers'
    /// clocks (all by the same amount) to just after the start of a minute, leaving the test a whole minute.
    /// </summary>
    internal static void AtStartOfAMinute(params IdpTestServer[] nodes)
    {
        var now = nodes[0].Clock.GetUtcNow();
        var skip = TimeSpan.FromSeconds(60 - now.Second) - TimeSpan.FromMilliseconds(now.Millisecond) + TimeSpan.FromMilliseconds(100);
        foreach (var node in nodes) node.Clock.Advance(skip);
    }

    private static async Task<(HttpStatusCode Status, string Body)> UserInfoAsync(OidcTestHost host, string accessToken)
    {
        using var http = host.Server.CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Get, "/connect/userinfo");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<JsonElement> IntrospectAsync(OidcTestHost host, string token, string clientId, string secret)
    {
        using var http = host.Server.CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Post, "/connect/introspect") { Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = token }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{clientId}:{secret}")));
        var response = await http.SendAsync(request);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }
}
