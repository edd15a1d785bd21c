using System.Net;
using WaIdentity.IdP.Oidc.Clients;
using WaIdentity.IdP.Persistence;
using WaIdentity.IdP.Sessions;
using WaIdentity.Tests.Infrastructure;

namespace WaIdentity.Tests.Oidc;

/// <summary>The authorization endpoint's answers, as the browser and the client see them.</summary>
public sealed class AuthorizeTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_unregistered_redirect_uri_or_client_is_shown_on_an_error_page_and_never_redirected_to(DatabaseProvider provider)
    {
        await using var host = await OidcTestHost.StartAsync(provider);
        await host.CreateClientAsync("shop");
        var browser = host.Browser();

        foreach (var url in new[]
        {
            OidcTestHost.AuthorizeUrl("shop", new Dictionary<string, string?> { ["redirect_uri"] = "https://evil.example/steal" }),
            OidcTestHost.AuthorizeUrl("shop", new Dictionary<string, string?> { ["redirect_uri"] = OidcTestHost.Callback + "/" }),
            OidcTestHost.AuthorizeUrl("nobody", new Dictionary<string, string?> { ["redirect_uri"] = "https://evil.example/steal" }),
        })
        {
            var response = await browser.GetAsync(url);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Null(response.Headers.Location);
            var html = await response.Content.ReadAsStringAsync();
            Assert.Contains("This sign-in request cannot be completed", html);
            Assert.DoesNotContain("evil.example", html);
        }
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Invalid_requests_go_back_to_the_client_with_the_specs_error_state_and_iss(DatabaseProvider provider)
    {
        await using var host = await OidcTestHost.StartAsync(provider);
        await host.CreateClientAsync("shop");
        await host.CreateClientAsync("spa", isPublic: true);
        var (_, challenge) = OidcTestHost.NewPkce();
        var cases = new (string Url, string Error)[]
        {
            (OidcTestHost.AuthorizeUrl("shop", new Dictionary<string, string?> { ["response_type"] = "token" }), "unsupported_response_type"),
            (OidcTestHost.AuthorizeUrl("shop", new Dictionary<string, string?> { ["response_type"] = "code id_token" }), "unsupported_response_type"),
            (OidcTestHost.AuthorizeUrl("shop", new Dictionary<string, string?> { ["scope"] = "profile email" }), "invalid_scope"),
            (OidcTestHost.AuthorizeUrl("shop", new Dictionary<string, string?> { ["scope"] = "openid admin" }), "invalid_scope"),
            (OidcTestHost.AuthorizeUrl("shop", new Dictionary<string, string?> { ["code_challenge"] = challenge, ["code_challenge_method"] = "plain" }), "invalid_request"),
            (OidcTestHost.AuthorizeUrl("spa"), "invalid_request"), // a public client without PKCE
            (OidcTestHost.AuthorizeUrl("shop", new Dictionary<string, string?> { ["prompt"] = "none login" }), "invalid_request"),
            (OidcTestHost.AuthorizeUrl("shop", new Dictionary<string, string?> { ["prompt"] = "none" }), "login_required"),
            (OidcTestHost.AuthorizeUrl("shop", new Dictionary<string, string?> { ["request"] = "eyJhbGciOiJub25lIn0.e30." }), "request_not_supported"),
            (OidcTestHost.AuthorizeUrl("shop", new Dictionary<string, string?> { ["response_mode"] = "fragment" }), "invalid_request"),
            (OidcTestHost.AuthorizeUrl("shop", new Dictionary<string, string?> { ["response_mode"] = "jwt" }), "invalid_request"),
        };
        foreach (var (url, error) in cases)
        {
            var result = await host.FollowAsync(host.Browser(), url, login: false);
            Assert.True(result.Callback is not null, url + " => " + result);
            Assert.Equal(error, result.Query("error"));
            Assert.Equal("st-123", result.Query("state"));
            Assert.Equal(host.Issuer, result.Query("iss"));
            Assert.Null(result.Query("code"));
        }
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Prompt_login_max_age_and_step_up_ask_for_a_fresh_login_once_and_do_not_loop(DatabaseProvider provider)
    {
        await using var host = await OidcTestHost.StartAsync(provider);
        await host.CreateClientAsync("shop");
        var browser = host.Browser();
        await host.CodeAsync("shop", browser); // signed in now

        var silent = await host.FollowAsync(browser, OidcTestHost.AuthorizeUrl("shop"), login: false);
        Assert.NotNull(silent.Query("code")); // SSO: no login page
        Assert.DoesNotContain("LOGIN", silent.Visited);

        foreach (var extra in new Dictionary<string, string?>[]
        {
            new() { ["prompt"] = "login" },
            new() { ["max_age"] = "0" },
        })
        {
            host.Server.Clock.Advance(TimeSpan.FromSeconds(2)); // auth_time has one-second resolution
            var result = await host.FollowAsync(browser, OidcTestHost.AuthorizeUrl("shop", extra));
            Assert.True(result.Query("code") is not null, result.ToString());
            Assert.Single(result.Visited, v => v.Contains("/connect/authorize?client_id"));
            Assert.Single(result.Visited, v => v.Contains("request_id="));
            Assert.Single(result.Visited, v => v == "LOGIN");
        }

        // acr_values=loa:2 is a step-up: the signed-in user is asked for the second factor only (tests/Mfa go on from there).
        var stepUp = await browser.GetAsync(OidcTestHost.AuthorizeUrl("shop", new Dictionary<string, string?> { ["acr_values"] = AuthenticationLevels.TwoFactors }));
        var login = await browser.GetAsync(stepUp.Headers.Location!.OriginalString);
        Assert.StartsWith("/login/second-factor?returnUrl=", login.Headers.Location!.OriginalString);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Prompt_none_answers_interaction_required_when_a_signed_in_user_only_lacks_a_second_factor(DatabaseProvider provider)
    {
        await using var host = await OidcTestHost.StartAsync(provider);
        await host.CreateClientAsync("shop");
        await host.CreateClientAsync("bank");
        var updated = await host.Server.InScopeAsync(async sp =>
        {
            var registry = sp.GetRequiredService<ClientRegistry>();
            var bank = ClientRegistry.ToDefinition((await registry.FindAsync("bank"))!);
            bank.RequireSecondFactor = true;
            return await registry.UpdateAsync(bank);
        });
        Assert.True(updated?.RequireSecondFactor);
        var browser = host.Browser();
        await host.CodeAsync("shop", browser); // signed in with a password only: loa:1

        var cases = new (string Url, string Error)[]
        {
            (OidcTestHost.AuthorizeUrl("shop", new Dictionary<string, string?> { ["prompt"] = "none", ["acr_values"] = AuthenticationLevels.TwoFactors }), "interaction_required"),
            (OidcTestHost.AuthorizeUrl("bank", new Dictionary<string, string?> { ["prompt"] = "none" }), "interaction_required"),
            (OidcTestHost.AuthorizeUrl("shop", new Dictionary<string, string?> { ["prompt"] = "none", ["max_age"] = "0", ["acr_values"] = AuthenticationLevels.TwoFactors }), "login_required"),
        };
        host.Server.Clock.Advance(TimeSpan.FromSeconds(2)); // max_age=0 is exceeded once auth_time (one-second resolution) is in the past
        foreach (var (url, error) in cases)
        {
            var result = await host.FollowAsync(browser, url, login: false);
            Assert.True(result.Callback is not null, url + " => " + result);
            Assert.Equal(error, result.Query("error"));
            Assert.Equal("st-123", result.Query("state"));
            Assert.Equal(host.Issuer, result.Query("iss"));
            Assert.Null(result.Query("code"));
            Assert.DoesNotContain("LOGIN", result.Visited);
        }

        // Still signed in, and without prompt=none the same session answers the plain request at once.
        Assert.NotNull((await host.FollowAsync(browser, OidcTestHost.AuthorizeUrl("shop", new Dictionary<string, string?> { ["prompt"] = "none" }), login: false)).Query("code"));
        // A browser with no session still hears login_required for the same step-up request.
        var stranger = await host.FollowAsync(host.Browser(), cases[0].Url, login: false);
        Assert.Equal("login_required", stranger.Query("error"));
    }

    [Fact]
    public async Task Ui_locales_and_login_hint_reach_the_login_page()
    {
        await using var host = await OidcTestHost.StartAsync(DatabaseProvider.Sqlite);
        await host.CreateClientAsync("shop");
        var browser = host.Browser();
        var (_, challenge) = OidcTestHost.NewPkce();
        var response = await browser.GetAsync(OidcTestHost.AuthorizeUrl("shop", new Dictionary<string, string?>
        {
            ["ui_locales"] = "id-ID en", ["login_hint"] = "budi@example.com",
        }, challenge));
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var login = response.Headers.Location!.ToString();
        Assert.StartsWith("/login?returnUrl=", login);

        var html = await browser.GetStringAsync("/login/password" + login[6..]);
        Assert.Contains("Masuk dengan email dan kata sandi", html);
        Assert.Contains("value=\"budi@example.com\"", html);
        Assert.Contains("shop", html); // the client's name: "to continue to shop"
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_id_token_hint_for_the_signed_in_user_is_accepted_and_a_forged_one_refused(DatabaseProvider provider)
    {
        await using var host = await OidcTestHost.StartAsync(provider);
        var secret = await host.CreateClientAsync("shop");
        var browser = host.Browser();
        var (code, verifier) = await host.CodeAsync("shop", browser);
        var idToken = (await host.TokenAsync(host.CodeForm(code, verifier), "shop", secret)).Body.GetProperty("id_token").GetString()!;

        var ok = await host.FollowAsync(browser, OidcTestHost.AuthorizeUrl("shop", new Dictionary<string, string?> { ["prompt"] = "none", ["id_token_hint"] = idToken }), login: false);
        Assert.NotNull(ok.Query("code"));
        var forged = idToken[..^4] + (idToken[^4..] == "AAAA" ? "BBBB" : "AAAA");
        var bad = await host.FollowAsync(browser, OidcTestHost.AuthorizeUrl("shop", new Dictionary<string, string?> { ["prompt"] = "none", ["id_token_hint"] = forged }), login: false);
        Assert.Equal("invalid_request", bad.Query("error"));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Form_post_answers_with_a_self_submitting_form_to_the_redirect_uri(DatabaseProvider provider)
    {
        await using var host = await OidcTestHost.StartAsync(provider);
        await host.CreateClientAsync("shop");
        var browser = host.Browser();
        await host.CodeAsync("shop", browser);

        var response = await browser.GetAsync(OidcTestHost.AuthorizeUrl("shop", new Dictionary<string, string?> { ["response_mode"] = "form_post" }));
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"action=\"{OidcTestHost.Callback}\"", html);
        Assert.Matches("name=\"code\" value=\"[A-Za-z0-9_-]{43}\"", html);
        Assert.Contains("name=\"state\" value=\"st-123\"", html);
        Assert.Contains("name=\"iss\"", html);
        Assert.Contains("form-action 'self' http://127.0.0.1:9", response.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_third_party_client_asks_for_consent_once_and_prompt_none_says_consent_required(DatabaseProvider provider)
    {
        await using var host = await OidcTestHost.StartAsync(provider);
        await host.CreateClientAsync("partner", firstParty: false);
        var browser = host.Browser();
        await host.CodeAsync(await FirstPartyAsync(host), browser);

        var none = await host.FollowAsync(browser, OidcTestHost.AuthorizeUrl("partner", new Dictionary<string, string?> { ["prompt"] = "none" }), login: false);
        Assert.Equal("consent_required", none.Query("error"));

        var page = await host.FollowAsync(browser, OidcTestHost.AuthorizeUrl("partner"), login: false);
        Assert.Equal(200, page.Status);
        Assert.Contains("Allow access?", page.Page);
        Assert.Contains("Your phone number", page.Page);
        var consentUrl = page.Visited.Last().Split(' ')[1];
        var allowed = await PostConsentAsync(browser, consentUrl, page.Page!, "Allow");
        var result = await host.FollowAsync(browser, allowed, login: false);
        Assert.NotNull(result.Query("code"));

        var again = await host.FollowAsync(browser, OidcTestHost.AuthorizeUrl("partner", new Dictionary<string, string?> { ["prompt"] = "none" }), login: false);
        Assert.NotNull(again.Query("code"));

        var asked = await host.FollowAsync(browser, OidcTestHost.AuthorizeUrl("partner", new Dictionary<string, string?> { ["prompt"] = "consent" }), login: false);
        var denied = await PostConsentAsync(browser, asked.Visited.Last().Split(' ')[1], asked.Page!, "Deny");
        Assert.StartsWith(OidcTestHost.Callback, denied);
        Assert.Contains("error=access_denied", denied);
    }

    private static async Task<string> FirstPartyAsync(OidcTestHost host)
    {
        await host.CreateClientAsync("home");
        return "home";
    }

    private static async Task<string> PostConsentAsync(HttpClient browser, string url, string html, string handler)
    {
        var token = AntiforgeryToken.In(html);
        var requestId = System.Text.RegularExpressions.Regex.Match(html, "name=\"request_id\" value=\"([^\"]+)\"").Groups[1].Value;
        var response = await browser.PostAsync($"/connect/consent?handler={handler}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["request_id"] = requestId, ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        return response.Headers.Location!.ToString();
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Authorize_sends_no_cors_headers_but_token_and_discovery_do(DatabaseProvider provider)
    {
        await using var host = await OidcTestHost.StartAsync(provider);
        await host.CreateClientAsync("shop");
        using var http = host.Server.CreateClient();
        async Task<HttpResponseMessage> Preflight(string path)
        {
            var request = new HttpRequestMessage(HttpMethod.Options, path);
            request.Headers.Add("Origin", "https://spa.example");
            request.Headers.Add("Access-Control-Request-Method", "POST");
            return await http.SendAsync(request);
        }
        Assert.False((await Preflight(OidcTestHost.AuthorizeUrl("shop"))).Headers.Contains("Access-Control-Allow-Origin"));
        Assert.True((await Preflight("/connect/token")).Headers.Contains("Access-Control-Allow-Origin"));
        Assert.True((await Preflight("/connect/userinfo")).Headers.Contains("Access-Control-Allow-Origin"));
        async Task<HttpResponseMessage> CrossOrigin(string path)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Add("Origin", "https://spa.example");
            return await http.SendAsync(request);
        }
        foreach (var path in new[] { "/.well-known/openid-configuration", "/.well-known/jwks.json", "/connect/userinfo" })
            Assert.Equal("*", (await CrossOrigin(path)).Headers.GetValues("Access-Control-Allow-Origin").Single());
        var authorize = await CrossOrigin(OidcTestHost.AuthorizeUrl("shop"));
        Assert.Equal(HttpStatusCode.SeeOther, authorize.StatusCode);
        Assert.False(authorize.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_login_and_consent_pages_cannot_be_framed(DatabaseProvider provider)
    {
        await using var host = await OidcTestHost.StartAsync(provider);
        await host.CreateClientAsync("partner", firstParty: false);
        var browser = host.Browser();
        var toLogin = await browser.GetAsync(OidcTestHost.AuthorizeUrl("partner"));
        var loginPage = await browser.GetAsync(toLogin.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, loginPage.StatusCode);
        AssertNotFramable(loginPage);

        var page = await host.FollowAsync(browser, OidcTestHost.AuthorizeUrl("partner"));
        Assert.Contains("Allow access?", page.Page);
        var consentPage = await browser.GetAsync(page.Visited.Last().Split(' ')[1]);
        Assert.Contains("Allow access?", await consentPage.Content.ReadAsStringAsync());
        AssertNotFramable(consentPage);
    }

    private static void AssertNotFramable(HttpResponseMessage response)
    {
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
    }

    [Fact]
    public async Task Discovery_advertises_the_iss_response_parameter_and_only_what_is_implemented()
    {
        await using var host = await OidcTestHost.StartAsync(DatabaseProvider.Sqlite);
        using var http = host.Server.CreateClient();
        var json = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync("/.well-known/openid-configuration")).RootElement;
        Assert.Equal(host.Issuer, json.GetProperty("issuer").GetString());
        Assert.True(json.GetProperty("authorization_response_iss_parameter_supported").GetBoolean());
        Assert.Equal(["code"], json.GetProperty("response_types_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["query", "form_post"], json.GetProperty("response_modes_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["S256"], json.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.False(json.GetProperty("request_parameter_supported").GetBoolean());
    }
}
