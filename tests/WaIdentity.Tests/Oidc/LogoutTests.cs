using System.Net;
using System.Text.RegularExpressions;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Infrastructure;

namespace WaIdentity.Tests.Oidc;

public sealed class LogoutTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_unregistered_post_logout_uri_is_refused_on_a_page(DatabaseProvider provider)
    {
        await using var host = await OidcTestHost.StartAsync(provider);
        var secret = await host.CreateClientAsync("shop");
        var browser = host.Browser();
        var (code, verifier) = await host.CodeAsync("shop", browser);
        var idToken = (await host.TokenAsync(host.CodeForm(code, verifier), "shop", secret)).Body.GetProperty("id_token").GetString();

        var response = await browser.GetAsync($"/connect/endsession?id_token_hint={idToken}&post_logout_redirect_uri=https://evil.example/&state=s");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        // Still signed in: nothing happened.
        Assert.NotNull((await host.FollowAsync(browser, OidcTestHost.AuthorizeUrl("shop", new Dictionary<string, string?> { ["prompt"] = "none" }), login: false)).Query("code"));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_invalid_id_token_hint_is_shown_on_an_error_page_and_never_redirected(DatabaseProvider provider)
    {
        await using var host = await OidcTestHost.StartAsync(provider);
        var secret = await host.CreateClientAsync("shop");
        var browser = host.Browser();
        var (code, verifier) = await host.CodeAsync("shop", browser);
        var idToken = (await host.TokenAsync(host.CodeForm(code, verifier), "shop", secret)).Body.GetProperty("id_token").GetString()!;
        var forged = idToken[..^4] + (idToken[^4..] == "AAAA" ? "BBBB" : "AAAA");

        foreach (var hint in new[] { forged, "not-a-jwt" })
        {
            var response = await browser.GetAsync($"/connect/endsession?id_token_hint={hint}&post_logout_redirect_uri=http://127.0.0.1:9/bye&state=s");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Null(response.Headers.Location);
            Assert.Contains("This sign-in request cannot be completed", await response.Content.ReadAsStringAsync());
        }
        // Still signed in: nothing happened.
        Assert.NotNull((await host.FollowAsync(browser, OidcTestHost.AuthorizeUrl("shop", new Dictionary<string, string?> { ["prompt"] = "none" }), login: false)).Query("code"));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Logout_without_an_id_token_hint_asks_the_user_first(DatabaseProvider provider)
    {
        await using var host = await OidcTestHost.StartAsync(provider);
        await host.CreateClientAsync("shop");
        var browser = host.Browser();
        await host.CodeAsync("shop", browser);

        var response = await browser.GetAsync("/connect/endsession?client_id=shop&post_logout_redirect_uri=http://127.0.0.1:9/bye&state=s1");
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var confirm = response.Headers.Location!.ToString();
        Assert.StartsWith("/logout", confirm);
        var html = await browser.GetStringAsync(confirm);
        Assert.Contains("Do you want to sign out", html);
        // Still signed in until the user confirms.
        Assert.NotNull((await host.FollowAsync(browser, OidcTestHost.AuthorizeUrl("shop", new Dictionary<string, string?> { ["prompt"] = "none" }), login: false)).Query("code"));

        var token = AntiforgeryToken.In(html);
        var next = WebUtility.HtmlDecode(Regex.Match(html, "name=\"Next\" value=\"([^\"]*)\"").Groups[1].Value);
        var posted = await browser.PostAsync("/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["Next"] = next, ["__RequestVerificationToken"] = token }));
        Assert.Equal(HttpStatusCode.SeeOther, posted.StatusCode);
        Assert.Equal("http://127.0.0.1:9/bye?state=s1", posted.Headers.Location!.ToString());
        Assert.Equal("login_required", (await host.FollowAsync(browser, OidcTestHost.AuthorizeUrl("shop", new Dictionary<string, string?> { ["prompt"] = "none" }), login: false)).Query("error"));
    }
}
