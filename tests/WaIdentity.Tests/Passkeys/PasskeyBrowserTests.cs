using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using WaIdentity.IdP.Login.Passkeys;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Channel;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.Tests.Login;
using WaIdentity.Tests.Mfa;
using WaIdentity.Tests.Oidc;
using static Microsoft.Playwright.Assertions;

namespace WaIdentity.Tests.Passkeys;

/// <summary>Passkeys through Debian's Chromium with a virtual authenticator: registered, used to sign in and as a second factor, removed.</summary>
public sealed class PasskeyBrowserTests(LoginBrowser browser) : BrowserTests(browser)
{
    private const string Loa2 = "urn:waidentity:loa:2";

    [Fact]
    public async Task A_passkey_added_on_the_security_page_signs_in_to_the_demo_app_with_hwk_user_and_loa2()
    {
        await using var kit = await MfaKit.StartAsync();
        var page = await PasskeyKit.PageWithAuthenticatorAsync(browser);
        await kit.SignInWithPasswordToSecurityAsync(page);
        await Expect(page.Locator("#no-passkeys")).ToBeVisibleAsync();
        await PasskeyKit.AddPasskeyAsync(page, "Laptop");
        Assert.Contains("Laptop", await page.InnerTextAsync("#notice"));
        Assert.Contains("not used yet", await page.InnerTextAsync("#passkey-list"));
        await ChannelTestKit.InboxWhenAsync(kit.Server, OidcTestHost.Phone, m => m.Any(i => i.Text.Contains("a passkey was added")));
        await PasskeyKit.SignOutAsync(page);

        await page.GotoAsync(kit.Local("/demo?handler=Start"));
        await MfaKit.ArrivedAtAsync(page, "/login");
        await PasskeyKit.SignInWithPasskeyAsync(page);
        var claims = await PasskeyKit.DemoIdTokenAsync(kit, page);

        Assert.Equal(kit.Host.UserId, claims.GetProperty("sub").GetString());
        Assert.Equal(["hwk", "mfa", "user"], PasskeyKit.Amr(claims));
        Assert.Equal(Loa2, claims.GetProperty("acr").GetString());

        await page.GotoAsync(kit.Local("/account"));
        Assert.Contains("passkey", await page.InnerTextAsync(".session"));
        await page.GotoAsync(kit.Local("/account/security"));
        Assert.Contains("last used", await page.InnerTextAsync("#passkey-list"));

        // The password page offers the passkey in the email field's autofill (conditional mediation); this
        // authenticator picks it by itself, as a person would from the list.
        await PasskeyKit.SignOutAsync(page);
        // The markup is read without running the page: the autofill may sign in before a script could look at it.
        var markup = await (await page.Context.APIRequest.GetAsync(kit.Local("/login/password?returnUrl=%2Faccount"))).TextAsync();
        Assert.Contains("autocomplete=\"username webauthn\"", markup);
        await page.GotoAsync(kit.Local("/login/password?returnUrl=%2Faccount"));
        await MfaKit.ArrivedAtAsync(page, "/account");
        await Expect(page.Locator("#signed-in-as")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task After_the_password_a_passkey_is_the_second_factor_a_relying_party_asked_for()
    {
        await using var kit = await MfaKit.StartAsync(("Login:SecondFactor:Required", "Off"));
        var authenticator = await PasskeyKit.AuthenticatorAsync(browser);
        var page = authenticator.Page;
        await kit.SignInWithPasswordToSecurityAsync(page);
        await PasskeyKit.AddPasskeyAsync(page, "Phone");
        await PasskeyKit.SignOutAsync(page);

        var verifier = await kit.AuthorizeOnLocalhostAsync(page, acrValues: Loa2);
        // The person types the password instead of picking the passkey the email field's autofill offers.
        await authenticator.PresenceAsync(false);
        await MfaKit.PasswordAsync(page);
        await MfaKit.ArrivedAtAsync(page, "/login/second-factor");
        await authenticator.PresenceAsync(true);
        await Expect(page.Locator("#use-passkey")).ToBeVisibleAsync();
        await page.ClickAsync("#use-passkey");

        var idToken = await kit.TokenAtCallbackAsync(page, verifier);
        Assert.Equal(Loa2, idToken.GetClaim("acr").Value);
        Assert.Equal(["hwk", "mfa", "pwd", "user"], MfaKit.Amr(idToken));
    }

    [Fact]
    public async Task A_removed_passkey_no_longer_signs_in_and_one_whose_counter_went_back_is_refused()
    {
        await using var kit = await MfaKit.StartAsync();
        var authenticator = await PasskeyKit.AuthenticatorAsync(browser);
        var page = authenticator.Page;
        await kit.SignInWithPasswordToSecurityAsync(page);
        await PasskeyKit.AddPasskeyAsync(page, "Old key");
        await PasskeyKit.SignOutAsync(page);

        // A copy of the authenticator that already counted further: this one's next count is lower.
        await kit.Server.InScopeAsync(sp => sp.GetRequiredService<IdpDbContext>().Set<Passkey>()
            .ExecuteUpdateAsync(u => u.SetProperty(p => p.SignCount, 1_000_000)));
        await page.GotoAsync(kit.Local("/login"));
        await PasskeyKit.SignInWithPasskeyAsync(page);
        Assert.Contains("may have been copied", await page.InnerTextAsync("#passkey-error"));
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "waid.session");
        await kit.Server.InScopeAsync(sp => sp.GetRequiredService<IdpDbContext>().Set<Passkey>()
            .ExecuteUpdateAsync(u => u.SetProperty(p => p.SignCount, 0)));

        await authenticator.PresenceAsync(false);
        await kit.SignInWithPasswordToSecurityAsync(page);
        await page.RunAndWaitForResponseAsync(() => page.ClickAsync(".remove-passkey"), r => r.Request.Method == "POST");
        await Expect(page.Locator("#no-passkeys")).ToBeVisibleAsync();
        await PasskeyKit.SignOutAsync(page);
        await authenticator.PresenceAsync(true);

        await page.GotoAsync(kit.Local("/login"));
        await PasskeyKit.SignInWithPasskeyAsync(page);
        Assert.Contains("not registered", await page.InnerTextAsync("#passkey-error"));
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "waid.session");
    }

    [Fact]
    public async Task A_replayed_answer_an_answer_to_another_challenge_and_a_late_answer_are_refused()
    {
        await using var kit = await MfaKit.StartAsync();
        var page = await PasskeyKit.PageWithAuthenticatorAsync(browser);
        await kit.SignInWithPasswordToSecurityAsync(page);
        await PasskeyKit.AddPasskeyAsync(page, "Key");
        await PasskeyKit.SignOutAsync(page);

        await page.GotoAsync(kit.Local("/login"));
        var answer = await PasskeyKit.SignInWithPasskeyAsync(page);
        var credential = System.Web.HttpUtility.ParseQueryString(answer.Request.PostData!)["Credential"]!;
        await Expect(page.Locator("#signed-in-as")).ToBeVisibleAsync();
        await PasskeyKit.SignOutAsync(page);

        // The same answer again: its ceremony is over.
        await page.GotoAsync(kit.Local("/login"));
        Assert.Contains("expired or was already used", await PostAnswerAsync(page, credential, newCeremony: false));
        // Within a new ceremony of this browser: the answer signs another challenge.
        Assert.Contains("could not be verified", await PostAnswerAsync(page, credential, newCeremony: true));
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "waid.session");

        // A fresh answer that arrives after the challenge's lifetime.
        await page.RouteAsync("**/login/passkey", async route =>
        {
            if (route.Request.Method == "POST") kit.Server.Clock.Advance(TimeSpan.FromSeconds(301));
            await route.ContinueAsync();
        });
        await page.GotoAsync(kit.Local("/login"));
        await PasskeyKit.SignInWithPasskeyAsync(page);
        Assert.Contains("expired or was already used", await page.InnerTextAsync("#passkey-error"));
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "waid.session");
    }

    /// <summary>Posts an answer to /login/passkey from the page (with its antiforgery token); returns the page's error.</summary>
    private static async Task<string> PostAnswerAsync(IPage page, string credential, bool newCeremony)
    {
        await Expect(page.Locator("#passkey-login")).ToBeVisibleAsync();
        var token = await page.InputValueAsync("#passkey-signin input[name=__RequestVerificationToken]");
        if (newCeremony)
        {
            var options = await page.Context.APIRequest.PostAsync(new Uri(new Uri(page.Url), "/login/passkey?handler=Options").ToString(),
                new() { Headers = new Dictionary<string, string> { ["RequestVerificationToken"] = token } });
            Assert.Equal(200, options.Status);
        }
        var response = await page.Context.APIRequest.PostAsync(new Uri(new Uri(page.Url), "/login/passkey").ToString(), new()
        {
            Form = page.Context.APIRequest.CreateFormData().Set("__RequestVerificationToken", token).Set("Credential", credential).Set("ReturnUrl", "/"),
        });
        var html = await response.TextAsync();
        var start = html.IndexOf("id=\"passkey-error\"", StringComparison.Ordinal);
        Assert.True(start > 0, html);
        return System.Net.WebUtility.HtmlDecode(html[start..html.IndexOf("</p>", start, StringComparison.Ordinal)]);
    }

    public static TheoryData<string, int, int> Screens()
    {
        var data = new TheoryData<string, int, int>();
        foreach (var locale in new[] { "en-US", "id-ID" })
        foreach (var (width, height) in new[] { (1280, 800), (390, 844) })
            data.Add(locale, width, height);
        return data;
    }

    /// <summary>Each page with passkeys, saved as screenshots (see <see cref="Screenshots"/>) for a person to look at.</summary>
    [Theory, MemberData(nameof(Screens))]
    public async Task The_passkey_pages_speak_the_readers_language_on_desktop_and_phone(string locale, int width, int height)
    {
        var id = locale == "id-ID";
        await using var kit = await MfaKit.StartAsync(("Login:SecondFactor:Required", "Off"));
        var authenticator = await PasskeyKit.AuthenticatorAsync(browser, locale, width, height);
        var page = authenticator.Page;
        var shots = new Screenshots(page, $"passkeys-{locale[..2]}-{width}");
        await kit.SignInWithPasswordToSecurityAsync(page);
        await Expect(page.Locator("#add-passkey")).ToBeVisibleAsync();
        Assert.Equal(id ? "Tambahkan kunci sandi" : "Add a passkey", await page.InnerTextAsync("#add-passkey"));
        await shots.TakeAsync("security-none");
        await PasskeyKit.AddPasskeyAsync(page, id ? "Ponsel saya" : "My phone");
        await shots.TakeAsync("security-added");
        Assert.DoesNotMatch(@"[{}]|Passkey_|Account_", await page.InnerTextAsync("main"));
        await PasskeyKit.SignOutAsync(page);

        // Nothing answers by itself while the pages are photographed (the password page's autofill would).
        await authenticator.PresenceAsync(false);
        await kit.AuthorizeOnLocalhostAsync(page, acrValues: Loa2);
        await Expect(page.Locator("#passkey-login")).ToBeVisibleAsync();
        Assert.Equal(id ? "Masuk dengan kunci sandi" : "Sign in with a passkey", await page.InnerTextAsync("#passkey-login"));
        await Expect(page.Locator("#phone")).ToHaveValueAsync(""); // the e-mail login_hint is not a WhatsApp number
        await shots.TakeAsync("login");
        await page.ClickAsync("#password-login");
        await Expect(page.Locator("#passkey-login")).ToBeVisibleAsync();
        await shots.TakeAsync("password");
        await page.FillAsync("#Email", OidcTestHost.Email);
        await page.FillAsync("#Password", OidcTestHost.Password);
        await page.SubmitAsync("main form:not(#passkey-signin) button[type=submit]");
        await Expect(page.Locator("#use-passkey")).ToBeVisibleAsync();
        Assert.Equal(id ? "Gunakan kunci sandi" : "Use a passkey", await page.InnerTextAsync("#use-passkey"));
        await shots.TakeAsync("second-factor");

        await page.GotoAsync(kit.Local("/login/passkey"));
        await Expect(page.Locator("#passkey-login")).ToBeVisibleAsync();
        await shots.TakeAsync("passkey-page");
        Assert.DoesNotMatch(@"[{}]|Passkey_|Mfa_", await page.InnerTextAsync("main"));

        // The admin's view of the same user: the passkey the authenticator registered, with its remove button.
        using var portal = await Admin.AdminPortal.SignInAsync(kit.Server);
        var context = await browser.NewContextAsync(new() { Locale = locale, ViewportSize = new() { Width = width, Height = height } });
        await context.AddCookiesAsync(portal.Cookies.GetCookies(kit.Server.BaseAddress)
            .Select(c => new Cookie { Name = c.Name, Value = c.Value, Url = kit.Local("/") }));
        var admin = await context.NewPageAsync();
        await admin.GotoAsync(kit.Local($"/admin/users/{kit.Host.UserId}"));
        await Expect(admin.Locator("#passkeys")).ToContainTextAsync(id ? "Ponsel saya" : "My phone");
        await Expect(admin.Locator(".remove-passkey")).ToHaveAttributeAsync("aria-label", id ? "Hapus kunci sandi Ponsel saya" : "Remove passkey My phone");
        await new Screenshots(admin, $"passkeys-{locale[..2]}-{width}-admin").TakeAsync("user-page");
        Assert.DoesNotMatch(@"[{}]|Users_", await admin.InnerTextAsync("main"));
    }
}
