using Microsoft.Playwright;
using WaIdentity.Tests.Channel;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.Tests.Login;
using WaIdentity.Tests.Mfa;
using WaIdentity.Tests.Oidc;

namespace WaIdentity.Tests.Account;

/// <summary>The account pages as a person reads them: plain words, their own time zone, and the safety steps.</summary>
public sealed class AccountJourneyBrowserTests(LoginBrowser browser) : BrowserTests(browser)
{
    [Fact]
    public async Task After_using_an_app_the_account_page_lists_it_in_plain_words_with_the_session_in_the_browsers_time_zone()
    {
        await using var kit = await MfaKit.StartAsync();
        var context = await browser.NewContextAsync(new() { Locale = "en-US", TimezoneId = "Asia/Jakarta" });
        var page = await context.NewPageAsync();
        var verifier = await kit.AuthorizeAsync(page);
        await MfaKit.PasswordAsync(page);
        await kit.TokenAtCallbackAsync(page, verifier);

        await page.GotoAsync(kit.Url("/account"));
        var session = await page.InnerTextAsync("#sessions li.session");
        Assert.Contains("this computer", session);
        Assert.Contains("with password", session);
        Assert.DoesNotContain("::1", session);
        Assert.DoesNotContain("amr", session);
        Assert.Contains("GMT+7", await page.InnerTextAsync("#sessions time.local-time"));
        var apps = await page.InnerTextAsync("#apps");
        Assert.DoesNotContain("No apps yet.", apps);
        Assert.Contains("Toko Contoh", apps);
        Assert.Contains("Your phone number", apps);
        Assert.DoesNotContain("openid", apps);
    }

    [Fact]
    public async Task The_account_page_names_the_browser_in_the_persons_language()
    {
        await using var kit = await MfaKit.StartAsync();
        var page = await browser.NewPageAsync("id-ID");
        await page.GotoAsync(kit.Url("/login?returnUrl=%2Faccount"));
        await MfaKit.PasswordAsync(page);
        await MfaKit.ArrivedAtAsync(page, "/account");

        Assert.Contains("Chrome di Linux", await page.InnerTextAsync("#sessions li.session"));
    }

    [Fact]
    public async Task Recovery_codes_can_be_copied_and_downloaded_and_continuing_waits_for_I_saved_them()
    {
        await using var kit = await MfaKit.StartAsync();
        var page = await browser.NewPageAsync();
        var authenticator = await kit.EnrolAsync(page);

        var download = await page.GetAttributeAsync("#download-codes", "href");
        Assert.All(authenticator.RecoveryCodes, c => Assert.Contains(Uri.EscapeDataString(c), download));
        Assert.Equal("recovery-codes.txt", await page.GetAttributeAsync("#download-codes", "download"));
        Assert.True(await page.IsVisibleAsync("#copy-codes"));
        Assert.Equal("true", await page.GetAttributeAsync("#continue", "aria-disabled"));
        await page.Locator("#continue").DispatchEventAsync("click");
        Assert.EndsWith("/account/security", new Uri(page.Url).AbsolutePath, StringComparison.OrdinalIgnoreCase);

        await page.CheckAsync("#saved-codes");
        Assert.Equal("false", await page.GetAttributeAsync("#continue", "aria-disabled"));
        await page.ClickAsync("#continue");
        await MfaKit.ArrivedAtAsync(page, "/account");
    }

    [Fact]
    public async Task Turning_off_the_authenticator_asks_first()
    {
        await using var kit = await MfaKit.StartAsync();
        var page = await browser.NewPageAsync();
        await kit.EnrolAsync(page);
        await page.GotoAsync(kit.Url("/account/security"));

        await page.ClickAsync("#disable-totp");
        Assert.Equal("Turn off the authenticator app?", await page.InnerTextAsync("#confirm-disable-title"));
        await page.ClickAsync("#keep-totp");
        Assert.Equal("Authenticator app: on", await page.InnerTextAsync("#totp-status"));

        await page.ClickAsync("#disable-totp");
        await page.SubmitAsync("#confirm-disable");
        Assert.Equal("Authenticator app: off", await page.InnerTextAsync("#totp-status"));
    }

    [Fact]
    public async Task The_phone_change_page_has_the_login_code_pages_delivery_state_resend_and_SMS_option()
    {
        await using var kit = await MfaKit.StartAsync(("Login:Otp:ResendCooldownSeconds", "600"));
        var page = await browser.NewPageAsync();
        await page.GotoAsync(kit.Url("/login?returnUrl=%2Faccount%2Fphone"));
        await MfaKit.PasswordAsync(page);
        await MfaKit.ArrivedAtAsync(page, "/account/phone");
        var newPhone = ChannelTestKit.NewPhone();
        await page.FillAsync("#phone", newPhone);
        await page.SubmitAsync("#send-code");

        await page.WaitForFunctionAsync("() => document.getElementById('delivery-status').textContent === 'Delivered to WhatsApp.'", null);
        Assert.True(await page.IsDisabledAsync("#resend"));
        Assert.Matches(@"^Resend code in \d+ s$", await page.InnerTextAsync("#resend"));
        var code = await WhatsAppOtpBrowserTests.CodeFromInboxAsync(kit.Server, newPhone, "whatsapp");
        await page.SubmitAsync("#send-sms");
        Assert.Equal("We sent your code by SMS. It is the same code as before.", await page.InnerTextAsync("#notice"));
        Assert.Equal(code, await WhatsAppOtpBrowserTests.CodeFromInboxAsync(kit.Server, newPhone, "sms"));
        Assert.Equal(0, await page.Locator("#send-sms").CountAsync());

        await page.FillAsync("#code", code);
        await page.SubmitAsync("#verify");
        Assert.Contains(newPhone, await page.InnerTextAsync("#notice"));
    }

    [Fact]
    public async Task The_password_page_leads_back_to_phone_login_and_the_second_step_after_a_phone_code_does_not_mention_a_password()
    {
        await using var kit = await MfaKit.StartAsync();
        await kit.EnrolAsync(await browser.NewPageAsync());
        var page = await browser.NewPageAsync();
        await page.GotoAsync(kit.Url("/login/password?returnUrl=%2Faccount"));
        await page.ClickAsync("#phone-login-link");
        Assert.Equal("/login", new Uri(page.Url).AbsolutePath);
        Assert.Equal("Sign in", await page.InnerTextAsync("h1"));

        await page.FillAsync("#phone", OidcTestHost.Phone);
        await page.ClickAsync("#send-code");
        var code = await WhatsAppOtpBrowserTests.CodeFromInboxAsync(kit.Server, OidcTestHost.Phone, "whatsapp");
        await WhatsAppOtpBrowserTests.EnterCodeAsync(page, code);
        await MfaKit.ArrivedAtAsync(page, "/login/second-factor");

        var intro = await page.InnerTextAsync("#mfa-intro");
        Assert.DoesNotContain("password", intro, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("Your phone is confirmed. Now confirm it is you with a second step.", intro);
    }
}
