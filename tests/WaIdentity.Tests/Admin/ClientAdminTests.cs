using System.Net;
using System.Text.RegularExpressions;
using WaIdentity.IdP.Oidc.Clients;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.Tests.Oidc;

namespace WaIdentity.Tests.Admin;

/// <summary>The OIDC clients page: what it creates works with a real relying party; what the registry refuses is refused.</summary>
public sealed partial class ClientAdminTests
{
    private static (string, string)[] ShopForm(string redirect = OidcTestHost.Callback) =>
    [
        ("Input.ClientId", "shop"), ("Input.DisplayName", "Shop"), ("Input.Public", "false"),
        ("Input.RedirectUris", redirect), ("Input.PostLogoutRedirectUris", "http://127.0.0.1:9/bye"),
        ("Input.GrantTypes", "authorization_code"), ("Input.GrantTypes", "refresh_token"), ("Input.GrantTypes", "client_credentials"),
        ("Input.Scopes", "openid profile email phone offline_access"), ("Input.FirstParty", "true"), ("Input.SigningAlgorithm", "ES256"),
    ];

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_client_created_in_the_portal_logs_in_through_openid_client(DatabaseProvider provider)
    {
        await using var host = await OidcTestHost.StartAsync(provider);
        using var portal = await AdminPortal.SignInAsync(host.Server);

        var created = await portal.PostAsync("/admin/clients/new", ShopForm());
        var html = await created.Content.ReadAsStringAsync();
        var secret = SecretPattern().Match(html).Groups[1].Value;
        Assert.True(secret.Length >= 32, html);
        Assert.DoesNotContain(secret, await portal.GetAsync("/admin/clients/shop"));

        var r = await OidcTestHost.RunNodeAsync("flow.mjs", new
        {
            issuer = host.Issuer, clientId = "shop", clientSecret = secret, redirectUri = OidcTestHost.Callback,
            postLogoutRedirectUri = "http://127.0.0.1:9/bye", email = OidcTestHost.Email, password = OidcTestHost.Password,
            scope = "openid profile phone offline_access",
        });
        var login = r.GetProperty("login");
        Assert.False(login.TryGetProperty("failed", out _), login.ToString());
        Assert.Equal(host.UserId, login.GetProperty("claims").GetProperty("sub").GetString());
        var audit = await portal.GetAsync("/admin/audit");
        Assert.Contains("client.create", audit);
        Assert.DoesNotContain(secret, audit);
    }

    [Theory]
    [InlineData("http://shop.example.com/cb", "http is only allowed for loopback")]
    [InlineData("https://shop.example.com/cb#top", "without a fragment")]
    [InlineData("/cb", "must be an absolute URI")]
    public async Task A_bad_redirect_uri_is_refused_next_to_its_field(string redirect, string expected)
    {
        await using var host = await OidcTestHost.StartAsync(DatabaseProvider.Sqlite);
        using var portal = await AdminPortal.SignInAsync(host.Server);

        var response = await portal.PostAsync("/admin/clients/new", ShopForm(redirect));
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Matches($"id=\"error-RedirectUris\"[^>]*>[^<]*{Regex.Escape(expected)}", html);
        Assert.Null(await host.Server.InScopeAsync(sp => sp.GetRequiredService<ClientRegistry>().FindAsync("shop")));
    }

    [Fact]
    public async Task Disabling_refuses_the_client_and_a_rotated_secret_retires_the_old_one()
    {
        await using var host = await OidcTestHost.StartAsync(DatabaseProvider.Sqlite);
        using var portal = await AdminPortal.SignInAsync(host.Server);
        var first = SecretPattern().Match(await (await portal.PostAsync("/admin/clients/new", ShopForm())).Content.ReadAsStringAsync()).Groups[1].Value;
        var grant = new Dictionary<string, string> { ["grant_type"] = "client_credentials" };
        Assert.Equal(200, (await host.TokenAsync(grant, "shop", first)).Status);

        var rotated = await portal.PostAsync("/admin/clients/shop?handler=Rotate");
        var second = SecretPattern().Match(await rotated.Content.ReadAsStringAsync()).Groups[1].Value;
        Assert.NotEqual("", second);
        Assert.Equal(401, (await host.TokenAsync(grant, "shop", first)).Status);
        Assert.Equal(200, (await host.TokenAsync(grant, "shop", second)).Status);

        await portal.PostAsync("/admin/clients/shop?handler=Disable");
        Assert.Equal(401, (await host.TokenAsync(grant, "shop", second)).Status);
        Assert.Contains("Disabled", await portal.GetAsync("/admin/clients"));

        await portal.PostAsync("/admin/clients/shop?handler=Enable");
        Assert.Equal(200, (await host.TokenAsync(grant, "shop", second)).Status);
        var audit = await portal.GetAsync("/admin/audit");
        Assert.Contains("client.rotate-secret", audit);
        Assert.Contains("client.disable", audit);
    }

    [Theory]
    [InlineData("120", 120)]
    [InlineData("3600", 600)]
    public async Task A_client_token_lifetime_applies_up_to_the_global_one(string lifetime, int expected)
    {
        await using var host = await OidcTestHost.StartAsync(DatabaseProvider.Sqlite);
        using var portal = await AdminPortal.SignInAsync(host.Server);

        var page = await (await portal.PostAsync("/admin/clients/new", [.. ShopForm(), ("Input.AccessTokenLifetimeSeconds", lifetime)])).Content.ReadAsStringAsync();
        var secret = SecretPattern().Match(page).Groups[1].Value;
        var (status, body, _) = await host.TokenAsync(new() { ["grant_type"] = "client_credentials" }, "shop", secret);

        Assert.Equal(200, status);
        Assert.Equal(expected, body.GetProperty("expires_in").GetInt32());
        Assert.Contains($"value=\"{lifetime}\"", await portal.GetAsync("/admin/clients/shop"));
    }

    [Fact]
    public async Task A_lifetime_out_of_range_is_refused_next_to_its_field()
    {
        await using var host = await OidcTestHost.StartAsync(DatabaseProvider.Sqlite);
        using var portal = await AdminPortal.SignInAsync(host.Server);

        var html = await (await portal.PostAsync("/admin/clients/new", [.. ShopForm(), ("Input.IdTokenLifetimeSeconds", "5")])).Content.ReadAsStringAsync();

        Assert.Matches("id=\"error-IdTokenLifetimeSeconds\"[^>]*>must be between 30 and 86400", html);
    }

    [GeneratedRegex("id=\"client-secret\">([^<]+)<")]
    private static partial Regex SecretPattern();
}
