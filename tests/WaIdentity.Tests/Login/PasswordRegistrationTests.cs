using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using WaIdentity.IdP.Persistence;
using WaIdentity.IdP.Sessions;
using WaIdentity.IdP.Users;
using WaIdentity.Tests.Admin;
using WaIdentity.Tests.Gateway;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.Tests.Oidc;

namespace WaIdentity.Tests.Login;

/// <summary>/login/register over HTTP: errors next to their fields, CSRF, the shared per-IP limit, and the policy switch.</summary>
public sealed class PasswordRegistrationTests
{
    private const string Page = "/login/register?returnUrl=%2Fconnect%2Fauthorize%3Frequest_id%3Dabc";

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Errors_are_shown_next_to_their_fields_and_a_form_without_its_token_creates_nothing(DatabaseProvider provider)
    {
        await using var host = await OidcTestHost.StartAsync(provider, new Dictionary<string, string?> { ["Gateway:Account:RegistrationsPerHour"] = "2" });
        using var browser = host.Browser();

        var missing = await PostAsync(browser, ("Name", ""), ("Email", "baru@example.com"), ("Password", "longenough"));
        Assert.Equal("Enter your name.", FieldError(missing, "name"));
        Assert.Contains("value=\"baru@example.com\"", missing); // what was typed stays, the password does not
        Assert.Null(FieldError(missing, "email"));

        var tooShort = await PostAsync(browser, ("Name", "Budi"), ("Email", "baru@example.com"), ("Password", "short"));
        Assert.Equal("The password is too short: use at least 8 characters.", FieldError(tooShort, "password"));
        var notEmail = await PostAsync(browser, ("Name", "Budi"), ("Email", "budi"), ("Password", "longenough"));
        Assert.Equal("This is not a valid email address.", FieldError(notEmail, "email"));

        var taken = await PostAsync(browser, ("Name", "Ana Lain"), ("Email", OidcTestHost.Email.ToUpperInvariant()), ("Password", "longenough"));
        Assert.Equal("An account with this email address already exists. Sign in instead.", FieldError(taken, "email"));
        Assert.Equal(1, await UserCountAsync(host));

        var token = await LoginForms.TokenAsync(browser, Page);
        var forged = await browser.PostAsync("/login/register", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Name"] = "Mallory", ["Email"] = "mallory@example.com", ["Password"] = "longenough",
        }));
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Equal(1, await UserCountAsync(host));
        Assert.NotEmpty(token);

        // The page and the account API share one per-IP allowance (2 here; the taken email used one).
        var api = await host.Server.CreateClient().PostAsJsonAsync("/api/auth/register", new { name = "Api", email = "api@example.com", password = "longenough" });
        Assert.Equal(HttpStatusCode.Created, api.StatusCode);
        var limited = await PostAsync(browser, ("Name", "Budi"), ("Email", "baru@example.com"), ("Password", "longenough"));
        Assert.Contains("Too many accounts were created from your network.", limited);
        Assert.Equal(2, await UserCountAsync(host));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_registration_signs_in_with_pwd_and_moves_on_to_the_return_url(DatabaseProvider provider)
    {
        await using var host = await OidcTestHost.StartAsync(provider);
        var cookies = new CookieContainer();
        using var browser = host.Server.CreateClient(cookies);

        var token = await LoginForms.TokenAsync(browser, Page);
        var response = await LoginForms.PostWithTokenAsync(browser, "/login/register", token,
            ("Name", "Budi Santoso"), ("Email", " budi@example.com "), ("Password", "longenough"), ("ReturnUrl", "/connect/authorize?request_id=abc"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("0;url=/connect/authorize?request_id=abc", response.Headers.GetValues("Refresh").Single());
        Assert.Contains(cookies.GetCookies(host.Server.BaseAddress), c => c.Name == "waid.session");
        var user = await host.Server.InScopeAsync(sp => sp.GetRequiredService<UserManager<IdpUser>>().FindByEmailAsync("budi@example.com"));
        Assert.NotNull(user);
        Assert.Equal("Budi Santoso", user.DisplayName);
        var session = await host.Server.InScopeAsync(sp => sp.GetRequiredService<IdpDbContext>().UserSessions.SingleAsync(s => s.UserId == user.Id));
        Assert.Equal(AuthenticationLevels.AmrPassword, session.Amr);
        // The new account logs in with the password it chose.
        Assert.StartsWith("/", await OidcTestHost.LoginAsync(host.Browser(), "/login/password?returnUrl=%2F", "budi@example.com", "longenough"));
    }

    [Fact]
    public async Task The_page_speaks_Indonesian_to_an_Indonesian_browser()
    {
        await using var host = await OidcTestHost.StartAsync(DatabaseProvider.Sqlite);
        using var browser = host.Browser();
        browser.DefaultRequestHeaders.AcceptLanguage.ParseAdd("id");

        Assert.Contains("Baru di sini? Buat akun", await browser.GetStringAsync("/login/password"));
        var tooShort = await PostAsync(browser, ("Name", "Budi"), ("Email", "budi@example.com"), ("Password", "pendek"));
        Assert.Equal("Kata sandi terlalu pendek: gunakan minimal 8 karakter.", FieldError(tooShort, "password"));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task With_registration_off_the_link_is_gone_the_page_is_404_and_the_api_answers_403(DatabaseProvider provider)
    {
        await using var host = await OidcTestHost.StartAsync(provider, new Dictionary<string, string?> { ["Login:PasswordRegistration"] = "false" });
        using var browser = host.Browser();

        var login = await browser.GetStringAsync("/login/password");
        Assert.DoesNotContain("id=\"register-link\"", login);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync(Page)).StatusCode);
        var post = await LoginForms.PostWithTokenAsync(browser, "/login/register", AntiforgeryToken.In(login),
            ("Name", "Budi"), ("Email", "budi@example.com"), ("Password", "longenough"));
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        await AssertApiClosedAsync(host.Server);
        Assert.Equal(1, await UserCountAsync(host));
    }

    [Fact]
    public async Task The_admin_turns_registration_off_in_the_portal_and_it_applies_at_once()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db);
        using var portal = await AdminPortal.SignInAsync(server);
        using var visitor = server.CreateClient();
        Assert.Contains("id=\"register-link\"", await visitor.GetStringAsync("/login/password"));
        Assert.Contains("Login:PasswordRegistration", await portal.GetAsync("/admin/login-methods"));

        var save = await portal.PostAsync("/admin/login-methods", ("Login:PasswordRegistration", "false"));

        Assert.Equal(HttpStatusCode.Redirect, save.StatusCode);
        Assert.DoesNotContain("id=\"register-link\"", await visitor.GetStringAsync("/login/password"));
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync("/login/register")).StatusCode);
        await AssertApiClosedAsync(server);
    }

    private static async Task AssertApiClosedAsync(IdpTestServer server)
    {
        using var http = server.CreateClient();
        var api = await GatewayTestHost.ReadAsync(await http.PostAsJsonAsync("/api/auth/register", new { name = "Api", email = "api@example.com", password = "longenough" }));
        GatewayTestHost.AssertProblem(api.Response, api.Body, 403, "registration-closed");
    }

    private static async Task<string> PostAsync(HttpClient browser, params (string Key, string Value)[] fields)
    {
        var response = await LoginForms.PostAsync(browser, Page, "/login/register", [.. fields, ("ReturnUrl", "/connect/authorize?request_id=abc")]);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Refresh"));
        return await response.Content.ReadAsStringAsync();
    }

    private static string? FieldError(string html, string field)
    {
        var match = System.Text.RegularExpressions.Regex.Match(html, $"<p id=\"{field}-error\" class=\"error\" role=\"alert\">([^<]*)</p>");
        return match.Success ? System.Net.WebUtility.HtmlDecode(match.Groups[1].Value) : null;
    }

    private static Task<int> UserCountAsync(OidcTestHost host) =>
        host.Server.InScopeAsync(sp => sp.GetRequiredService<UserManager<IdpUser>>().Users.CountAsync());
}
