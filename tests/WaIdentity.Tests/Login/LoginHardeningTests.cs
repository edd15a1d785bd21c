using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using WaIdentity.IdP.Login.SendCode;
using WaIdentity.IdP.Persistence;
using WaIdentity.IdP.Sessions;
using WaIdentity.IdP.Users;
using WaIdentity.Tests.Channel;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.Tests.Oidc;

namespace WaIdentity.Tests.Login;

/// <summary>
/// What an attacker tries against the login methods, over real HTTP on both databases: replaying a send-code,
/// an expired send-code, a session cookie planted before login (fixation), forms posted without their antiforgery
/// token (CSRF), and X-Forwarded-For rotation to escape the per-IP send limit.
/// </summary>
public sealed partial class LoginHardeningTests
{
    /// <summary>The session cookie's name in Development (the tests' environment); "__Host-waid.session" elsewhere.</summary>
    private const string SessionCookie = "waid.session";
    private const string BusinessNumber = "+6281100000000";

    private static Dictionary<string, string?> Settings(params (string Key, string? Value)[] extra) =>
        WhatsAppOtpBrowserTests.Settings([("Login:SendCode:BusinessNumber", BusinessNumber), .. extra]);

    private static string TestPhone() => "+62999" + Random.Shared.NextInt64(10_000_000, 99_999_999);

    // ---- send-code: single use, expiry ----

    /// <summary>Opens the send-code page in <paramref name="browser"/>; returns the code shown and the form's token.</summary>
    private static async Task<(string Code, string Token)> OpenSendCodeAsync(HttpClient browser)
    {
        var html = await browser.GetStringAsync("/login/send-code?returnUrl=%2F%3Ffrom%3Dapp");
        return (CodeShown().Match(html).Groups[1].Value, AntiforgeryToken.In(html));
    }

    private static async Task SendFromPhoneAsync(IdpTestServer server, string from, string code)
    {
        using var client = server.CreateClient();
        var response = await client.PostAsJsonAsync("/dev/inbox/api/inbound",
            new { from, text = $"Log in to WaIdentity with this code: {code}", profileName = "Budi" });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<string> StatusAsync(HttpClient browser) =>
        (await browser.GetFromJsonAsync<SendCodeState>("/login/send-code?handler=Status"))!.State;

    private static bool SetsSession(HttpResponseMessage r) =>
        r.Headers.TryGetValues("Set-Cookie", out var v) && v.Any(c => c.StartsWith(SessionCookie + "=", StringComparison.Ordinal));

    private static CookieContainer Copy(CookieContainer jar, Uri site)
    {
        var copy = new CookieContainer();
        foreach (Cookie c in jar.GetCookies(site)) copy.Add(site, new Cookie(c.Name, c.Value, c.Path));
        return copy;
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_send_code_logs_in_once_and_the_same_message_sent_again_logs_in_nothing_more(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var server = await IdpTestServer.StartAsync(db, Settings());
        var jar = new CookieContainer();
        using var browser = server.CreateClient(jar);
        var (code, token) = await OpenSendCodeAsync(browser);
        var phone = ChannelTestKit.NewPhone();
        await SendFromPhoneAsync(server, phone, code);
        Assert.Equal("proven", await Eventually.ValueAsync(() => StatusAsync(browser), s => s == "proven", ChannelTestKit.Patience));
        var capturedFlow = Copy(jar, server.BaseAddress); // what a thief of the flow cookie would replay
        var first = await LoginForms.PostWithTokenAsync(browser, "/login/send-code", token);
        Assert.True(SetsSession(first));

        // A second browser waits on its own code; the first message is sent again from WhatsApp.
        using var second = server.CreateClient(new CookieContainer());
        var (_, secondToken) = await OpenSendCodeAsync(second);
        await SendFromPhoneAsync(server, phone, code);
        await ChannelTestKit.QuietAsync(server);
        Assert.Equal("waiting", await StatusAsync(second));
        var secondPost = await LoginForms.PostWithTokenAsync(second, "/login/send-code", secondToken);
        Assert.False(SetsSession(secondPost));
        Assert.Contains("We have not received a valid message for this login.", await secondPost.Content.ReadAsStringAsync());

        // Replaying the first flow's completion (its cookies from before the login) gets no second session either.
        using var replay = server.CreateClient(capturedFlow);
        var replayed = await LoginForms.PostWithTokenAsync(replay, "/login/send-code", token);
        Assert.False(SetsSession(replayed));
        Assert.Contains("We have not received a valid message for this login.", await replayed.Content.ReadAsStringAsync());
        Assert.Equal(1, await server.InScopeAsync(sp => sp.GetRequiredService<IdpDbContext>().UserSessions.CountAsync()));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_expired_send_code_is_refused_and_logs_nobody_in(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        // Login:SendCode:LifetimeSeconds cannot go below 30 s, so the test moves the challenge's expiry into the past
        // in the store instead of waiting: exactly what the clock passing ExpiresAt looks like to the server.
        await using var server = await IdpTestServer.StartAsync(db, Settings(("Login:SendCode:LifetimeSeconds", "30")));
        using var browser = server.CreateClient(new CookieContainer());
        var (code, token) = await OpenSendCodeAsync(browser);
        Assert.Equal("waiting", await StatusAsync(browser));
        await server.InScopeAsync(sp => sp.GetRequiredService<IdpDbContext>().Set<LoginSendCode>()
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.ExpiresAt, DateTimeOffset.UtcNow.AddSeconds(-1))));

        await SendFromPhoneAsync(server, ChannelTestKit.NewPhone(), code);
        await ChannelTestKit.QuietAsync(server);

        Assert.Equal("expired", await StatusAsync(browser));
        var post = await LoginForms.PostWithTokenAsync(browser, "/login/send-code", token);
        Assert.False(SetsSession(post));
        Assert.Contains("We have not received a valid message for this login.", await post.Content.ReadAsStringAsync());
        Assert.Equal(0, await server.InScopeAsync(sp => sp.GetRequiredService<UserManager<IdpUser>>().Users.CountAsync()));
    }

    // ---- session fixation: every method issues a new session ----

    /// <summary>
    /// A browser into which an attacker planted the cookie of the attacker's own session (the only session cookie an
    /// attacker can mint: the value is data-protected). Returns the browser's jar and the planted value.
    /// </summary>
    private static async Task<(CookieContainer Jar, string Planted)> PlantedBrowserAsync(IdpTestServer server)
    {
        var mallory = await SignedInSession.CreateUserAsync(server, "mallory@example.com");
        var jar = await SignedInSession.SignInAsync(server, mallory.Id, AuthenticationLevels.OneFactor);
        return (jar, jar.GetCookies(server.BaseAddress)[SessionCookie]!.Value);
    }

    /// <summary>After the victim's login: a new session value, it is the victim's, and the planted value is not.</summary>
    private static async Task AssertNewSessionAsync(IdpTestServer server, CookieContainer jar, string planted, string victimMarker)
    {
        var after = jar.GetCookies(server.BaseAddress)[SessionCookie]?.Value;
        Assert.NotNull(after);
        Assert.NotEqual(planted, after);
        using var victim = server.CreateClient(jar);
        Assert.Contains(victimMarker, WebUtility.HtmlDecode(await victim.GetStringAsync("/account")));

        var attackerJar = new CookieContainer();
        attackerJar.Add(server.BaseAddress, new Cookie(SessionCookie, planted, "/"));
        using var attacker = server.CreateClient(attackerJar);
        var seen = await attacker.GetAsync("/account");
        var html = WebUtility.HtmlDecode(await seen.Content.ReadAsStringAsync());
        Assert.DoesNotContain(victimMarker, html);
        Assert.Contains("mallory@example.com", html); // still only the attacker's own session
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Otp_login_issues_a_new_session_and_a_planted_session_cookie_gains_nothing(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var server = await IdpTestServer.StartAsync(db, Settings());
        var (jar, planted) = await PlantedBrowserAsync(server);
        using var browser = server.CreateClient(jar);
        var phone = TestPhone();

        await LoginForms.StartAsync(browser, phone);
        Assert.Equal(planted, jar.GetCookies(server.BaseAddress)[SessionCookie]!.Value); // nothing changed it before login
        var done = await LoginForms.PostAsync(browser, "/login/code", "/login/code", ("Code", WhatsAppOtpBrowserTests.TestCode));
        Assert.True(SetsSession(done));

        await AssertNewSessionAsync(server, jar, planted, phone);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Send_code_login_issues_a_new_session_and_a_planted_session_cookie_gains_nothing(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var server = await IdpTestServer.StartAsync(db, Settings());
        var (jar, planted) = await PlantedBrowserAsync(server);
        using var browser = server.CreateClient(jar);
        var phone = ChannelTestKit.NewPhone();

        var (code, token) = await OpenSendCodeAsync(browser);
        await SendFromPhoneAsync(server, phone, code);
        Assert.Equal("proven", await Eventually.ValueAsync(() => StatusAsync(browser), s => s == "proven", ChannelTestKit.Patience));
        Assert.True(SetsSession(await LoginForms.PostWithTokenAsync(browser, "/login/send-code", token)));

        await AssertNewSessionAsync(server, jar, planted, phone);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Password_login_issues_a_new_session_and_a_planted_session_cookie_gains_nothing(DatabaseProvider provider)
    {
        await using var host = await OidcTestHost.StartAsync(provider, Settings());
        var (jar, planted) = await PlantedBrowserAsync(host.Server);
        using var browser = host.Server.CreateClient(jar);

        await OidcTestHost.LoginAsync(browser, "/login/password?returnUrl=%2F", OidcTestHost.Email, OidcTestHost.Password);

        await AssertNewSessionAsync(host.Server, jar, planted, OidcTestHost.Email);
    }

    // ---- CSRF: every form refuses a POST without its token, and nothing happens ----

    private static Task<HttpResponseMessage> PostWithoutTokenAsync(HttpClient client, string path, params (string Key, string Value)[] fields) =>
        client.PostAsync(path, new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value))));

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_phone_form_without_its_token_is_refused_and_sends_no_code(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var server = await IdpTestServer.StartAsync(db, Settings());
        using var browser = server.CreateClient(new CookieContainer());
        await browser.GetStringAsync("/login"); // the browser holds its antiforgery cookie, as a CSRF victim's would
        var phone = ChannelTestKit.NewPhone();

        var forged = await PostWithoutTokenAsync(browser, "/login", ("Phone", phone), ("ReturnUrl", "/"));

        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        await ChannelTestKit.QuietAsync(server);
        Assert.Empty(await ChannelTestKit.MessagesToAsync(server, phone));
        Assert.Empty(await ChannelTestKit.InboxAsync(server, phone));
        // The same form with its token does send: the inbox check above could have seen a code.
        await LoginForms.StartAsync(browser, phone);
        Assert.Single(await ChannelTestKit.InboxWhenAsync(server, phone, m => m.Count == 1));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_code_form_without_its_token_is_refused_and_neither_logs_in_nor_uses_the_code(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var server = await IdpTestServer.StartAsync(db, Settings(("Login:Otp:MaxAttempts", "1")));
        using var browser = server.CreateClient(new CookieContainer());
        await LoginForms.StartAsync(browser, TestPhone());
        await browser.GetStringAsync("/login/code");

        var forgedRight = await PostWithoutTokenAsync(browser, "/login/code", ("Code", WhatsAppOtpBrowserTests.TestCode));
        var forgedWrong = await PostWithoutTokenAsync(browser, "/login/code", ("Code", "111111"));

        Assert.Equal(HttpStatusCode.Forbidden, forgedRight.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forgedWrong.StatusCode);
        Assert.False(SetsSession(forgedRight));
        Assert.Equal(0, await server.InScopeAsync(sp => sp.GetRequiredService<IdpDbContext>().UserSessions.CountAsync()));
        // The wrong forged code did not spend the only attempt: the real form still logs in with the right code.
        var real = await LoginForms.PostAsync(browser, "/login/code", "/login/code", ("Code", WhatsAppOtpBrowserTests.TestCode));
        Assert.True(SetsSession(real));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_password_form_without_its_token_is_refused_and_logs_nobody_in(DatabaseProvider provider)
    {
        await using var host = await OidcTestHost.StartAsync(provider, Settings());
        using var browser = host.Browser();
        await browser.GetStringAsync("/login/password?returnUrl=%2F");

        var forged = await PostWithoutTokenAsync(browser, "/login/password?returnUrl=%2F",
            ("Email", OidcTestHost.Email), ("Password", OidcTestHost.Password), ("ReturnUrl", "/"));

        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.False(SetsSession(forged));
        Assert.Equal(0, await host.Server.InScopeAsync(sp => sp.GetRequiredService<IdpDbContext>().UserSessions.CountAsync()));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_account_profile_form_without_its_token_is_refused_and_changes_nothing(DatabaseProvider provider)
    {
        await using var host = await OidcTestHost.StartAsync(provider, Settings());
        using var browser = host.Server.CreateClient(await SignedInSession.SignInAsync(host.Server, host.UserId, AuthenticationLevels.OneFactor));
        await browser.GetStringAsync("/account");

        var forged = await PostWithoutTokenAsync(browser, "/account?handler=Profile", ("DisplayName", "Pwned"), ("Email", "evil@example.com"));

        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        var me = await host.Server.InScopeAsync(sp => sp.GetRequiredService<UserManager<IdpUser>>().FindByIdAsync(host.UserId));
        Assert.Equal("Ana Lestari", me!.DisplayName);
        Assert.Equal(OidcTestHost.Email, me.Email);
        Assert.Contains("value=\"Ana Lestari\"", await browser.GetStringAsync("/account"));
    }

    // ---- X-Forwarded-For: believed only from Hosting:TrustedProxies ----

    /// <summary>A fresh browser asks for a code for a new test number, claiming <paramref name="forwardedFor"/>.</summary>
    private static async Task<bool> SendsCodeAsync(IdpTestServer server, string forwardedFor)
    {
        using var client = server.CreateClient(new CookieContainer());
        client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        var response = await LoginForms.PostAsync(client, "/login", "/login", ("Phone", TestPhone()), ("ReturnUrl", "/"));
        if (response.StatusCode == HttpStatusCode.Redirect) return true;
        Assert.Contains("Too many codes were requested.", await response.Content.ReadAsStringAsync());
        return false;
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Without_a_trusted_proxy_rotating_X_Forwarded_For_does_not_escape_the_per_IP_send_limit(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var server = await IdpTestServer.StartAsync(db, Settings(("Channel:Limits:PerIpPerHour", "2")));

        Assert.True(await SendsCodeAsync(server, "203.0.113.1"));
        Assert.True(await SendsCodeAsync(server, "203.0.113.2"));
        Assert.False(await SendsCodeAsync(server, "203.0.113.3")); // the socket's 127.0.0.1 is the key, whatever the header says
        Assert.False(await SendsCodeAsync(server, "198.51.100.7"));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Behind_a_trusted_proxy_each_forwarded_client_address_has_its_own_send_allowance(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        // The test server listens on 127.0.0.1 (Kestrel, a real socket), so that is the proxy's address here.
        await using var server = await IdpTestServer.StartAsync(db, Settings(
            ("Channel:Limits:PerIpPerHour", "2"), ("Hosting:TrustedProxies:0", "127.0.0.1")));

        Assert.True(await SendsCodeAsync(server, "203.0.113.1"));
        Assert.True(await SendsCodeAsync(server, "203.0.113.1"));
        Assert.False(await SendsCodeAsync(server, "203.0.113.1"));
        Assert.True(await SendsCodeAsync(server, "203.0.113.2")); // another client behind the proxy: its own allowance
        Assert.True(await SendsCodeAsync(server, "203.0.113.2"));
        Assert.False(await SendsCodeAsync(server, "203.0.113.2"));
    }

    [GeneratedRegex("<code id=\"send-code\">(WAID-[A-Z0-9]{8})</code>")]
    private static partial Regex CodeShown();
}
