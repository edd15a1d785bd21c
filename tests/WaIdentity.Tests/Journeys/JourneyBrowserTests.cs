using System.Net.Http.Json;
using Microsoft.Playwright;
using WaIdentity.Tests.Channel;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.Tests.Login;
using WaIdentity.Tests.Mfa;
using static Microsoft.Playwright.Assertions;

namespace WaIdentity.Tests.Journeys;

/// <summary>
/// The whole journey a person takes, once per login method, language and screen: home → "Try a login" → sign in →
/// the demo app shows the ID token → the account page → sign out → sign in again. Each step is saved as a screenshot
/// (see <see cref="Screenshots"/>) for a person to look through after the run.
/// </summary>
public sealed class JourneyBrowserTests(LoginBrowser browser) : BrowserTests(browser)
{
    private const string BusinessNumber = "+6281100000000";

    public static TheoryData<string, string, int, int> Journeys()
    {
        var data = new TheoryData<string, string, int, int>();
        foreach (var method in new[] { "whatsapp", "send-code", "password" })
        foreach (var locale in new[] { "en-US", "id-ID" })
        foreach (var (width, height) in new[] { (1280, 800), (390, 844) })
            data.Add(method, locale, width, height);
        return data;
    }

    [Theory, MemberData(nameof(Journeys))]
    public async Task A_person_tries_a_login_uses_the_app_reaches_the_account_signs_out_and_signs_back_in(string method, string locale, int width, int height)
    {
        await using var kit = await MfaKit.StartAsync(("Login:SendCode:BusinessNumber", BusinessNumber), ("Login:Otp:ResendCooldownSeconds", "0"));
        var authenticator = method == "password" ? await kit.EnrolAsync(await browser.NewPageAsync()) : null;
        var context = await browser.NewContextAsync(new() { Locale = locale, ViewportSize = new() { Width = width, Height = height } });
        var page = await context.NewPageAsync();
        var shots = new Screenshots(page, $"journey-{method}-{locale[..2]}-{width}");
        var phone = ChannelTestKit.NewPhone();
        async Task SignInAsync(bool again)
        {
            switch (method)
            {
                case "whatsapp": await WhatsAppCodeAsync(kit, page, shots, phone, again); break;
                case "send-code": await SendCodeAsync(kit, page, shots, phone); break;
                default: await PasswordAndAuthenticatorAsync(page, shots, authenticator!); break;
            }
        }

        await page.GotoAsync(kit.Url("/"));
        await shots.TakeAsync("home");
        await page.ClickAsync("a[href='/demo?handler=Start']");
        await SignInAsync(again: false);

        await page.ArrivedAsync(kit.Url("/demo/callback"));
        await Expect(page.Locator("#id-token")).ToContainTextAsync("\"sub\"");
        await shots.TakeAsync("app");

        await page.GotoAsync(kit.Url("/account"));
        await Expect(page.Locator("#signed-in-as")).ToBeVisibleAsync();
        Assert.DoesNotContain("}", await page.InnerTextAsync("body"));
        await shots.TakeAsync("account");

        await page.ClickAsync("#sign-out");
        await Expect(page.Locator("#log-in-again")).ToBeVisibleAsync();
        Assert.DoesNotContain(await context.CookiesAsync(), c => c.Name == "waid.session");
        await shots.TakeAsync("signed-out");

        await page.ClickAsync("#log-in-again");
        await SignInAsync(again: true);
        await Expect(page.Locator("#signed-in-as")).ToBeVisibleAsync();
        Assert.Contains(await context.CookiesAsync(), c => c.Name == "waid.session");
        await shots.TakeAsync("signed-in-again");
    }

    /// <summary>Phone → code by WhatsApp → "send by SMS instead" → resend → the code (the same one) entered.</summary>
    private static async Task WhatsAppCodeAsync(MfaKit kit, IPage page, Screenshots shots, string phone, bool again)
    {
        var sent = (await ChannelTestKit.InboxAsync(kit.Server, phone)).Count(i => i.Code is not null);
        await page.FillAsync("#phone", phone);
        await shots.TakeAsync("login");
        await page.ClickAsync("#send-code");
        await Expect(page.Locator("#code")).ToBeVisibleAsync();
        // The inbox lists the newest first: this sign-in's code is the first after those sent before.
        var inbox = await ChannelTestKit.InboxWhenAsync(kit.Server, phone, m => m.Count(i => i.Code is not null) > sent);
        var code = inbox.First(i => i.Code is not null).Code!;
        await shots.TakeAsync("code");
        if (!again)
        {
            await page.SubmitAsync("#send-sms");
            Assert.Equal(code, await WhatsAppOtpBrowserTests.CodeFromInboxAsync(kit.Server, phone, "sms"));
            await shots.TakeAsync("code-by-sms");
            await page.SubmitAsync("#resend");
            await shots.TakeAsync("code-resent");
        }
        await WhatsAppOtpBrowserTests.EnterCodeAsync(page, code);
    }

    /// <summary>The send-code page: the phone sends the prefilled message, the page asks "Continue as …?".</summary>
    private static async Task SendCodeAsync(MfaKit kit, IPage page, Screenshots shots, string phone)
    {
        await page.ClickAsync("#send-code-login");
        var link = (await page.GetAttributeAsync("#wa-link", "href"))!;
        await shots.TakeAsync("send-code");
        using (var client = kit.Server.CreateClient())
        {
            var text = Uri.UnescapeDataString(link[(link.IndexOf("text=", StringComparison.Ordinal) + 5)..]);
            (await client.PostAsJsonAsync("/dev/inbox/api/inbound", new { from = phone, text, profileName = "Budi" })).EnsureSuccessStatusCode();
        }
        var button = page.Locator("#continue-as");
        await Expect(button).ToContainTextAsync(phone[^3..]);
        await shots.TakeAsync("continue-as");
        await button.ClickAsync();
    }

    /// <summary>E-mail and password, then the authenticator's code.</summary>
    private static async Task PasswordAndAuthenticatorAsync(IPage page, Screenshots shots, Authenticator authenticator)
    {
        await MfaKit.PasswordAsync(page);
        await MfaKit.ArrivedAtAsync(page, "/login/second-factor");
        await shots.TakeAsync("second-factor");
        await page.FillAsync("#totp-code", authenticator.NextCode());
        await page.SubmitAsync("#verify-totp");
    }
}
