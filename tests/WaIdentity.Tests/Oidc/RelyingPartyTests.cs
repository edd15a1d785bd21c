using System.Text.Json;
using WaIdentity.IdP.Persistence;
using WaIdentity.IdP.Sessions;
using WaIdentity.Tests.Channel;
using WaIdentity.Tests.Infrastructure;

namespace WaIdentity.Tests.Oidc;

/// <summary>
/// A certified relying-party library (npm openid-client) runs the whole life cycle against the IdP over real HTTP:
/// discovery, code + PKCE + nonce + state with the login done through the WhatsApp OTP page (the code read from the
/// sandbox channel's dev inbox), ID token validation, userinfo, refresh rotation, introspection, revocation, SSO into a
/// second client, and RP-initiated logout; then every documented error as openid-client sees it (tests/rp/negative.mjs).
/// </summary>
public sealed class RelyingPartyTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Openid_client_completes_the_whole_life_cycle(DatabaseProvider provider)
    {
        await using var host = await OidcTestHost.StartAsync(provider, ChannelTestKit.Settings());
        var secret = await host.CreateClientAsync("shop");
        await host.CreateClientAsync("wiki", isPublic: true, alg: "RS256", redirectUri: "http://127.0.0.1:9/wiki");

        var r = await OidcTestHost.RunNodeAsync("flow.mjs", new
        {
            issuer = host.Issuer, clientId = "shop", clientSecret = secret, redirectUri = OidcTestHost.Callback,
            postLogoutRedirectUri = "http://127.0.0.1:9/bye", phone = OidcTestHost.Phone,
            scope = "openid profile email phone offline_access",
            second = new { clientId = "wiki", redirectUri = "http://127.0.0.1:9/wiki", alg = "RS256" },
        });

        Assert.Equal(host.Issuer, r.GetProperty("discovery").GetProperty("issuer").GetString());
        var login = r.GetProperty("login");
        Assert.False(login.TryGetProperty("failed", out _), login.ToString());
        Assert.True(login.GetProperty("sawLoginPage").GetBoolean());
        Assert.Equal(host.Issuer, login.GetProperty("iss").GetString());
        var claims = login.GetProperty("claims");
        Assert.Equal(host.UserId, claims.GetProperty("sub").GetString());
        Assert.Equal(AuthenticationLevels.OneFactor, claims.GetProperty("acr").GetString());
        Assert.Equal(["otp", "wa"], claims.GetProperty("amr").EnumerateArray().Select(a => a.GetString()).Order());
        Assert.Equal("shop", claims.GetProperty("aud").GetString());
        Assert.Equal("shop", claims.GetProperty("azp").GetString());
        Assert.True(claims.TryGetProperty("sid", out _) && claims.TryGetProperty("auth_time", out _) && claims.TryGetProperty("at_hash", out _));
        Assert.True(login.GetProperty("hasRefreshToken").GetBoolean());

        var userinfo = r.GetProperty("userinfo");
        Assert.Equal(OidcTestHost.Phone, userinfo.GetProperty("phone_number").GetString());
        Assert.True(userinfo.GetProperty("phone_number_verified").GetBoolean());
        Assert.Equal(OidcTestHost.Email, userinfo.GetProperty("email").GetString());
        Assert.Equal("Ana Lestari", userinfo.GetProperty("name").GetString());

        Assert.True(r.GetProperty("refresh").GetProperty("rotated").GetBoolean(), r.GetProperty("refresh").ToString());
        Assert.True(r.GetProperty("introspectAccess").GetProperty("active").GetBoolean());
        Assert.Equal("shop", r.GetProperty("introspectAccess").GetProperty("client_id").GetString());
        Assert.True(r.GetProperty("introspectRefresh").GetProperty("active").GetBoolean());
        Assert.False(r.GetProperty("introspectRevoked").GetProperty("active").GetBoolean());
        Assert.True(r.GetProperty("userinfoAfterRevoke").GetProperty("failed").GetBoolean());

        var sso = r.GetProperty("sso");
        Assert.False(sso.TryGetProperty("failed", out _), sso.ToString());
        Assert.False(sso.GetProperty("sawLoginPage").GetBoolean());
        Assert.Equal(host.UserId, sso.GetProperty("sub").GetString());
        Assert.Equal(claims.GetProperty("sid").GetString(), sso.GetProperty("sid").GetString());

        var logout = r.GetProperty("logout");
        Assert.Equal(303, logout.GetProperty("status").GetInt32());
        Assert.Equal($"http://127.0.0.1:9/bye?state={logout.GetProperty("expectedState").GetString()}", logout.GetProperty("location").GetString());
        Assert.Equal("login_required", r.GetProperty("afterLogout").GetProperty("error").GetString());
    }

    [Fact]
    public async Task Openid_client_logs_in_through_the_password_page_too()
    {
        await using var host = await OidcTestHost.StartAsync(DatabaseProvider.Sqlite);
        var secret = await host.CreateClientAsync("shop");
        var r = await host.RunPasswordFlowAsync("shop", secret, "openid profile offline_access");
        var login = r.GetProperty("login");
        Assert.True(login.GetProperty("sawLoginPage").GetBoolean());
        Assert.Equal(["pwd"], login.GetProperty("claims").GetProperty("amr").EnumerateArray().Select(a => a.GetString()));
        Assert.True(r.GetProperty("refresh").GetProperty("rotated").GetBoolean(), r.GetProperty("refresh").ToString());
    }

    /// <summary>The checks tests/rp/negative.mjs makes; each must print an "ok" line (a dropped check fails too).</summary>
    private static readonly string[] NegativeChecks =
    [
        "prompt=none without a session is login_required with iss",
        "authorization code reuse is invalid_grant and kills the first access token",
        "response_type=token is unsupported_response_type",
        "a request without the openid scope is invalid_scope",
        "PKCE plain is refused (invalid_request)",
        "response_mode=fragment is refused (invalid_request)",
        "a PKCE verifier that does not match is invalid_grant",
        "a redirect_uri at the token endpoint other than the authorization request's is invalid_grant",
        "a wrong client secret is invalid_client (401)",
        "a rotated refresh token presented again is invalid_grant and revokes the family",
        "no refresh token without offline_access",
        "a tampered state is rejected by openid-client before the code is used",
        "a tampered iss is rejected by openid-client before the code is used",
        "a missing iss is rejected by openid-client (the IdP advertises RFC 9207)",
        "an ID token with another nonce is rejected by openid-client",
        "a revoked access token is inactive at introspection and refused by userinfo (401 invalid_token)",
        "a revoked refresh token is inactive and cannot be used",
        "an unregistered post_logout_redirect_uri is refused without a redirect",
    ];

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Openid_client_sees_every_documented_error(DatabaseProvider provider)
    {
        await using var host = await OidcTestHost.StartAsync(provider, ChannelTestKit.Settings());
        var secret = await host.CreateClientAsync("shop");

        var (exitCode, output, error) = await OidcTestHost.RunNodeRawAsync("negative.mjs", new
        {
            issuer = host.Issuer, clientId = "shop", clientSecret = secret, redirectUri = OidcTestHost.Callback, phone = OidcTestHost.Phone,
        });

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var check in NegativeChecks)
            Assert.True(lines.Any(l => l.StartsWith($"ok   - {check}:")), $"check '{check}' did not pass:\n{output}\n{error}");
        Assert.DoesNotContain(lines, l => l.StartsWith("FAIL"));
        Assert.Equal(0, exitCode);
    }
}
