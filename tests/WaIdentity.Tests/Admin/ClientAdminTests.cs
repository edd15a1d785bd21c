using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
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

        var r = await host.RunPasswordFlowAsync("shop", secret, "openid profile phone offline_access");
        var login = r.GetProperty("login");
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

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_client_that_requires_a_second_factor_keeps_it_after_a_portal_edit_and_a_new_secret(DatabaseProvider provider)
    {
        await using var host = await OidcTestHost.StartAsync(provider);
        // Registered as the CLI and configuration do, with a field the old form did not carry.
        var (_, first) = await host.Server.InScopeAsync(sp => sp.GetRequiredService<ClientRegistry>().CreateAsync(new ClientDefinition
        {
            ClientId = "shop", DisplayName = "Shop", RedirectUris = [OidcTestHost.Callback], PostLogoutRedirectUris = ["http://127.0.0.1:9/bye"],
            GrantTypes = ["authorization_code", "refresh_token", "client_credentials"], Scopes = ["openid", "profile", "email", "phone", "offline_access"],
            FirstParty = true, RequireSecondFactor = true, AccessTokenLifetimeSeconds = 120,
        }));
        using var portal = await AdminPortal.SignInAsync(host.Server);
        Assert.True(Checked(await portal.GetAsync("/admin/clients/shop"), "RequireSecondFactor"));

        // The browser posts the form as shown: the ticked box comes with it.
        await portal.PostAsync("/admin/clients/shop", [.. With(ShopForm(), "Input.DisplayName", "Shop 2"), ("Input.RequireSecondFactor", "true"),
            ("Input.AccessTokenLifetimeSeconds", "120")]);
        var edited = await DefinitionAsync(host);
        Assert.True(edited.RequireSecondFactor);
        Assert.Equal("Shop 2", edited.DisplayName);
        Assert.EndsWith("/login/second-factor", await LoginStopsAtAsync(host));

        var rotated = await portal.PostAsync("/admin/clients/shop?handler=Rotate");
        var second = SecretPattern().Match(await rotated.Content.ReadAsStringAsync()).Groups[1].Value;
        Assert.NotEqual("", second);
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(edited), System.Text.Json.JsonSerializer.Serialize(await DefinitionAsync(host)));
        Assert.EndsWith("/login/second-factor", await LoginStopsAtAsync(host));
        Assert.Equal(401, (await host.TokenAsync(new() { ["grant_type"] = "client_credentials" }, "shop", first!)).Status);
        Assert.Equal(200, (await host.TokenAsync(new() { ["grant_type"] = "client_credentials" }, "shop", second)).Status);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_second_factor_checkbox_sets_and_clears_the_requirement(DatabaseProvider provider)
    {
        await using var host = await OidcTestHost.StartAsync(provider);
        using var portal = await AdminPortal.SignInAsync(host.Server);

        await portal.PostAsync("/admin/clients/new", [.. ShopForm(), ("Input.RequireSecondFactor", "true")]);
        Assert.True((await DefinitionAsync(host)).RequireSecondFactor);
        Assert.True(Checked(await portal.GetAsync("/admin/clients/shop"), "RequireSecondFactor"));
        Assert.EndsWith("/login/second-factor", await LoginStopsAtAsync(host));

        await portal.PostAsync("/admin/clients/shop", ShopForm()); // the box left empty
        Assert.False((await DefinitionAsync(host)).RequireSecondFactor);
        Assert.False(Checked(await portal.GetAsync("/admin/clients/shop"), "RequireSecondFactor"));
        Assert.StartsWith(OidcTestHost.Callback, await LoginStopsAtAsync(host));
    }

    [Fact]
    public async Task The_DPoP_checkbox_makes_token_requests_without_a_proof_fail_and_clearing_it_lets_them_through()
    {
        await using var host = await OidcTestHost.StartAsync(DatabaseProvider.Sqlite);
        using var portal = await AdminPortal.SignInAsync(host.Server);

        var created = await portal.PostAsync("/admin/clients/new", [.. ShopForm(), ("Input.DpopBoundAccessTokens", "true")]);
        var secret = SecretPattern().Match(await created.Content.ReadAsStringAsync()).Groups[1].Value;
        Assert.True((await DefinitionAsync(host)).DpopBoundAccessTokens);
        Assert.True(Checked(await portal.GetAsync("/admin/clients/shop"), "DpopBoundAccessTokens"));
        var refused = await host.TokenAsync(new() { ["grant_type"] = "client_credentials" }, "shop", secret);
        Assert.Equal((400, "invalid_dpop_proof"), (refused.Status, refused.Body.GetProperty("error").GetString()));

        await portal.PostAsync("/admin/clients/shop", ShopForm()); // the box left empty
        Assert.False((await DefinitionAsync(host)).DpopBoundAccessTokens);
        Assert.False(Checked(await portal.GetAsync("/admin/clients/shop"), "DpopBoundAccessTokens"));
        Assert.Equal(200, (await host.TokenAsync(new() { ["grant_type"] = "client_credentials" }, "shop", secret)).Status);
    }

    [Fact]
    public async Task A_changed_redirect_uri_refuses_the_old_one_and_the_audit_shows_before_and_after()
    {
        await using var host = await OidcTestHost.StartAsync(DatabaseProvider.Sqlite);
        using var portal = await AdminPortal.SignInAsync(host.Server);
        var secret = SecretPattern().Match(await (await portal.PostAsync("/admin/clients/new", ShopForm())).Content.ReadAsStringAsync()).Groups[1].Value;
        const string moved = "http://127.0.0.1:9/moved";

        var saved = await portal.PostAsync("/admin/clients/shop", ShopForm(moved));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        var (_, challenge) = OidcTestHost.NewPkce();
        var old = await host.FollowAsync(host.Browser(), OidcTestHost.AuthorizeUrl("shop", challenge: challenge));
        Assert.Null(old.Callback);
        Assert.Equal(400, old.Status);
        var now = await host.FollowAsync(host.Browser(), OidcTestHost.AuthorizeUrl("shop", new Dictionary<string, string?> { ["redirect_uri"] = moved }, challenge));
        Assert.StartsWith(moved, now.Callback!.ToString());
        Assert.NotNull(now.Query("code"));

        await portal.PostAsync("/admin/clients/shop?handler=Rotate");
        var update = await AuditAsync(host, "client.update");
        Assert.Contains(OidcTestHost.Callback, update.Before);
        Assert.DoesNotContain(moved, update.Before);
        Assert.Contains(moved, update.After);
        var rotate = await AuditAsync(host, "client.rotate-secret");
        Assert.Contains(moved, rotate.Before);
        Assert.Contains(moved, rotate.After);
        Assert.Contains("(replaced)", rotate.After);
        Assert.DoesNotContain(secret, rotate.Before + rotate.After);
        Assert.DoesNotContain("SecretHash", rotate.Before + rotate.After);
    }

    [Fact]
    public async Task A_public_client_gets_no_secret_and_must_use_pkce()
    {
        await using var host = await OidcTestHost.StartAsync(DatabaseProvider.Sqlite);
        using var portal = await AdminPortal.SignInAsync(host.Server);

        var created = await portal.PostAsync("/admin/clients/new",
        [
            ("Input.ClientId", "spa"), ("Input.Public", "true"), ("Input.RedirectUris", OidcTestHost.Callback),
            ("Input.GrantTypes", "authorization_code"), ("Input.GrantTypes", "refresh_token"),
            ("Input.Scopes", "openid profile email phone offline_access"), ("Input.FirstParty", "true"), ("Input.SigningAlgorithm", "ES256"),
        ]);
        var html = await created.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.DoesNotContain("client-secret", html);
        Assert.DoesNotContain("id=\"rotate\"", await portal.GetAsync("/admin/clients/spa"));

        var browser = host.Browser();
        var withoutPkce = await host.FollowAsync(browser, OidcTestHost.AuthorizeUrl("spa"));
        Assert.Null(withoutPkce.Query("code"));
        Assert.Equal("invalid_request", withoutPkce.Query("error"));
        var (code, verifier) = await host.CodeAsync("spa", browser);
        var tokens = await host.TokenAsync(new(host.CodeForm(code, verifier)) { ["client_id"] = "spa" });
        Assert.Equal(200, tokens.Status);
    }

    [Fact]
    public async Task A_bad_post_logout_uri_is_refused_next_to_its_own_field()
    {
        await using var host = await OidcTestHost.StartAsync(DatabaseProvider.Sqlite);
        using var portal = await AdminPortal.SignInAsync(host.Server);
        var form = With(ShopForm(), "Input.PostLogoutRedirectUris", "http://shop.example.com/bye");

        var html = WebUtility.HtmlDecode(await (await portal.PostAsync("/admin/clients/new", form)).Content.ReadAsStringAsync());

        Assert.Matches("id=\"error-PostLogoutRedirectUris\"[^>]*>[^<]*http is only allowed for loopback", html);
        Assert.DoesNotMatch("id=\"error-RedirectUris\"[^>]*>[^<]+<", html);
        Assert.Null(await host.Server.InScopeAsync(sp => sp.GetRequiredService<ClientRegistry>().FindAsync("shop")));
    }

    private static (string, string)[] With((string, string)[] form, string key, string value) =>
        form.Select(f => f.Item1 == key ? (key, value) : f).ToArray();

    private static Task<ClientDefinition> DefinitionAsync(OidcTestHost host) => host.Server.InScopeAsync(async sp =>
        ClientRegistry.ToDefinition((await sp.GetRequiredService<ClientRegistry>().ListAsync()).Single(c => c.ClientId == "shop")));

    /// <summary>Where a fresh browser's password login for "shop" ends: the client's callback or the page it stopped on.</summary>
    private static async Task<string> LoginStopsAtAsync(OidcTestHost host)
    {
        var browser = host.Browser();
        var atLogin = await host.FollowAsync(browser, OidcTestHost.AuthorizeUrl("shop", challenge: OidcTestHost.NewPkce().Challenge), login: false);
        var page = "/login/password" + new Uri(host.Server.BaseAddress, atLogin.Visited.Last().Split(' ')[1]).Query;
        var html = await browser.GetStringAsync(page);
        var response = await browser.PostAsync(page, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = OidcTestHost.Email, ["Password"] = OidcTestHost.Password, ["__RequestVerificationToken"] = AntiforgeryToken.In(html),
            ["ReturnUrl"] = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri("http://x" + page).Query)["returnUrl"].ToString(),
        }));
        // A second step redirects to its page; a finished login answers with a Refresh back to authorize.
        if (response.StatusCode == HttpStatusCode.Redirect) return response.Headers.Location!.OriginalString.Split('?')[0];
        var next = response.Headers.GetValues("Refresh").Single()["0;url=".Length..];
        return (await host.FollowAsync(browser, next, login: false)).Callback?.ToString() ?? "no callback";
    }

    private static bool Checked(string html, string field) =>
        Regex.Match(html, $"<input[^>]*name=\"Input.{field}\"[^>]*>").Value.Contains("checked");

    private static Task<(string Before, string After)> AuditAsync(OidcTestHost host, string action) => host.Server.InScopeAsync(async sp =>
    {
        var row = await sp.GetRequiredService<WaIdentity.IdP.Persistence.IdpDbContext>().Set<WaIdentity.IdP.AdminPorts.AuditRecord>()
            .AsNoTracking().SingleAsync(r => r.Action == action);
        Assert.NotNull(row.Before);
        Assert.NotNull(row.After);
        return (row.Before!, row.After!);
    });

    [GeneratedRegex("id=\"client-secret\">([^<]+)<")]
    private static partial Regex SecretPattern();
}
