using System.Text.Json;
using WaIdentity.IdP.Persistence;
using WaIdentity.IdP.Sessions;
using WaIdentity.Tests.Infrastructure;

namespace WaIdentity.Tests.Oidc;

/// <summary>
/// A certified relying-party library (npm openid-client) runs the whole life cycle against the IdP over real HTTP:
/// discovery, code + PKCE + nonce + state with the login done through the password page, ID token validation,
/// userinfo, refresh rotation, introspection, revocation, SSO into a second client, and RP-initiated logout.
/// </summary>
public sealed class RelyingPartyTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Openid_client_completes_the_whole_life_cycle(DatabaseProvider provider)
    {
        await using var host = await OidcTestHost.StartAsync(provider);
        var secret = await host.CreateClientAsync("shop");
        await host.CreateClientAsync("wiki", isPublic: true, alg: "RS256", redirectUri: "http://127.0.0.1:9/wiki");

        var r = await OidcTestHost.RunNodeAsync("flow.mjs", new
        {
            issuer = host.Issuer, clientId = "shop", clientSecret = secret, redirectUri = OidcTestHost.Callback,
            postLogoutRedirectUri = "http://127.0.0.1:9/bye", email = OidcTestHost.Email, password = OidcTestHost.Password,
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
        Assert.Equal(["pwd"], claims.GetProperty("amr").EnumerateArray().Select(a => a.GetString()));
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
}
