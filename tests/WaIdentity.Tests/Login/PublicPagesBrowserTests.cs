using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Channel;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.Tests.Mfa;

namespace WaIdentity.Tests.Login;

/// <summary>
/// What every public page shares (header with who is logged in, log out, language switcher, favicon), the
/// registration form, and the accessibility checks of <see cref="PageChecks"/> on each public page, in English on a
/// desktop and in Indonesian on a phone. Screenshots go to the run's screenshot folder (see <see cref="Screenshots"/>).
/// </summary>
public sealed class PublicPagesBrowserTests(LoginBrowser browser) : BrowserTests(browser)
{
    private static string TestPhone() => "+62999" + Random.Shared.NextInt64(10_000_000, 99_999_999);

    /// <summary>Logs in with a test number (fixed code, nothing delivered) and lands on <paramref name="returnUrl"/>.</summary>
    private static async Task LogInAsync(IPage page, IdpTestServer server, string returnUrl = "/")
    {
        await page.GotoAsync(new Uri(server.BaseAddress, "/login?returnUrl=" + Uri.EscapeDataString(returnUrl)).ToString());
        await page.FillAsync("#phone", TestPhone());
        await page.ClickAsync("#send-code");
        await WhatsAppOtpBrowserTests.EnterCodeAsync(page, WhatsAppOtpBrowserTests.TestCode);
        await MfaKit.ArrivedAtAsync(page, returnUrl);
    }

    [Fact]
    public async Task Home_and_account_pages_say_who_is_logged_in_and_logging_out_leads_back_in()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, WhatsAppOtpBrowserTests.Settings());
        var page = await browser.NewPageAsync();
        await LogInAsync(page, server);
        var phone = await page.EvaluateAsync<string>("() => document.getElementById('signed-in-as').textContent");
        Assert.Matches(@"^Signed in as \+62999\d{8}$", phone);

        foreach (var path in new[] { "/account", "/account/security", "/account/phone" })
        {
            await page.GotoAsync(new Uri(server.BaseAddress, path).ToString());
            Assert.Equal(phone, await page.InnerTextAsync("#signed-in-as"));
            Assert.True(await page.IsVisibleAsync("#sign-out"), path);
        }
        await page.SubmitAsync("#sign-out");

        Assert.Contains("You are signed out.", await page.InnerTextAsync("main"));
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "waid.session");
        Assert.Equal(0, await page.Locator("#signed-in-as").CountAsync());
        await page.ClickAsync("#log-in-again");
        Assert.Equal("/login", new Uri(page.Url).AbsolutePath);
        await page.GoBackAsync();
        await page.ClickAsync("#sign-in");
        Assert.Equal("/login", new Uri(page.Url).AbsolutePath);
        await page.GotoAsync(new Uri(server.BaseAddress, "/account").ToString());
        Assert.Equal("/login", new Uri(page.Url).AbsolutePath);
    }

    [Fact]
    public async Task The_language_switcher_keeps_the_authorization_request_and_the_choice_sticks()
    {
        await using var callback = await RelyingPartyOtpLoginTests.CallbackApp.StartAsync();
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, WhatsAppOtpBrowserTests.Settings(RelyingPartyOtpLoginTests.ClientSettings(callback.CallbackUrl)));
        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(server.BaseAddress, RelyingPartyOtpLoginTests.AuthorizePath(callback.CallbackUrl, "challenge-not-used-here-0000000000000000000", "+62 812 1111 2222")).ToString());
        var login = new Uri(page.Url).PathAndQuery;
        Assert.StartsWith("/login?returnUrl=", login);
        Assert.Equal("Send code", await page.InnerTextAsync("button#send-code"));

        await page.ClickAsync("#lang-id");

        Assert.Equal(login, new Uri(page.Url).PathAndQuery);
        Assert.Equal("Kirim kode", await page.InnerTextAsync("button#send-code"));
        Assert.Equal("id", await page.GetAttributeAsync("html", "lang"));
        Assert.Equal("true", await page.GetAttributeAsync("#lang-id", "aria-current"));
        await page.ClickAsync("#password-login");
        Assert.Equal("id", await page.GetAttributeAsync("html", "lang"));
        await page.ClickAsync("#lang-en");
        Assert.Equal("en", await page.GetAttributeAsync("html", "lang"));
        Assert.Equal("/login/password", new Uri(page.Url).AbsolutePath);
        // Only local pages are gone back to.
        using var http = server.CreateClient();
        var away = await http.GetAsync("/language/id?returnUrl=" + Uri.EscapeDataString("//evil.example/x"));
        Assert.Equal("/", away.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Registration_shows_every_fields_error_at_once_next_to_its_field()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, WhatsAppOtpBrowserTests.Settings());
        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(server.BaseAddress, "/login/register").ToString());

        await page.SubmitAsync("#register");

        Assert.Equal("Enter your name.", await page.InnerTextAsync("#name-error"));
        Assert.Equal("Enter your email address.", await page.InnerTextAsync("#email-error"));
        Assert.Equal("Choose a password.", await page.InnerTextAsync("#password-error"));
        Assert.Equal("name-error", await page.GetAttributeAsync("#name", "aria-describedby"));

        await page.FillAsync("#name", "Dewi");
        await page.FillAsync("#email", "dewi.example.com");
        await page.FillAsync("#password", "short");
        await page.SubmitAsync("#register");

        Assert.Equal(0, await page.Locator("#name-error").CountAsync());
        Assert.Equal("This is not a valid email address.", await page.InnerTextAsync("#email-error"));
        Assert.Equal("The password is too short: use at least 8 characters.", await page.InnerTextAsync("#password-error"));
        Assert.Equal("Dewi", await page.InputValueAsync("#name"));
    }

    [Fact]
    public async Task Pages_have_a_favicon_one_type_face_and_theme_coloured_links()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, WhatsAppOtpBrowserTests.Settings());
        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(server.BaseAddress, "/login").ToString());

        var icon = await page.GetAttributeAsync("link[rel=icon]", "href");
        Assert.NotNull(icon);
        using var http = server.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(icon)).StatusCode);
        var body = await page.EvaluateAsync<string>("() => getComputedStyle(document.body).fontFamily");
        foreach (var selector in new[] { "button#send-code", "#phone", "#password-login" })
            Assert.Equal(body, await page.EvaluateAsync<string>($"() => getComputedStyle(document.querySelector('{selector}')).fontFamily"));
        Assert.Equal("rgb(11, 107, 54)", await page.EvaluateAsync<string>("() => getComputedStyle(document.getElementById('lang-id')).color"));
        Assert.True(await page.EvaluateAsync<bool>("() => document.activeElement === document.getElementById('phone')"));
        // Heading sizes in order: h1 larger than h2.
        await page.GotoAsync(new Uri(server.BaseAddress, "/login/send-code").ToString());
        Assert.True(await page.EvaluateAsync<bool>(
            "() => parseFloat(getComputedStyle(document.querySelector('h1')).fontSize) > parseFloat(getComputedStyle(document.querySelector('h2')).fontSize)"));
    }

    public static TheoryData<string, int, int> Views => new() { { "en-US", 1280, 800 }, { "id-ID", 390, 844 } };

    [Theory, MemberData(nameof(Views))]
    public async Task Every_public_page_has_labels_contrast_and_visible_focus(string locale, int width, int height)
    {
        await using var kit = await MfaKit.StartAsync(("Oidc:Clients:0:FirstParty", "false"), ("Login:SendCode:BusinessNumber", "+6281100000000"));
        var context = await browser.NewContextAsync(new() { Locale = locale, ViewportSize = new() { Width = width, Height = height } });
        var page = await context.NewPageAsync();
        var shots = new Screenshots(page, $"public-{locale[..2]}-{width}");
        async Task CheckAsync(string name)
        {
            await shots.TakeAsync(name); // waits for the parsed page first
            await PageChecks.AssertAccessibleAsync(page);
        }

        foreach (var (path, name) in new[] { ("/", "home"), ("/login", "login"), ("/login/password", "password"), ("/login/register", "register") })
        {
            await page.GotoAsync(kit.Url(path));
            await CheckAsync(name);
        }
        await page.SubmitAsync("#register");
        await CheckAsync("register-errors");

        await page.GotoAsync(kit.Url("/login/send-code"));
        await CheckAsync("send-code");
        var link = (await page.GetAttributeAsync("#wa-link", "href"))!;
        using (var phone = kit.Server.CreateClient())
            (await phone.PostAsync("/dev/inbox/api/inbound", JsonContent.Create(new { from = ChannelTestKit.NewPhone(), text = Uri.UnescapeDataString(link[(link.IndexOf("text=") + 5)..]), profileName = "Budi" }))).EnsureSuccessStatusCode();
        await Assertions.Expect(page.Locator("#continue-as")).ToBeVisibleAsync();
        await CheckAsync("send-code-confirm");

        await page.GotoAsync(kit.Url("/login"));
        await page.FillAsync("#phone", TestPhone());
        await page.SubmitAsync("#send-code");
        await CheckAsync("code");

        // Password login for the relying party: its consent page, then the account pages.
        await kit.AuthorizeAsync(page);
        await MfaKit.PasswordAsync(page);
        await MfaKit.ArrivedAtAsync(page, "/connect/consent");
        await CheckAsync("consent");
        foreach (var (path, name) in new[] { ("/", "home-signed-in"), ("/account", "account"), ("/account/phone", "account-phone"), ("/account/security", "account-security"), ("/logout", "logout") })
        {
            await page.GotoAsync(kit.Url(path));
            await CheckAsync(name);
        }
        await page.SubmitAsync("#sign-out");
        await CheckAsync("logged-out");

        // With an authenticator the password is followed by the second-factor page.
        await kit.EnrolAsync(page);
        await page.SubmitAsync("#sign-out");
        await kit.AuthorizeAsync(page);
        await MfaKit.PasswordAsync(page);
        await MfaKit.ArrivedAtAsync(page, "/login/second-factor");
        await CheckAsync("second-factor");
    }
}
