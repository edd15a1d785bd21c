using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using WaIdentity.IdP.Persistence;
using WaIdentity.IdP.Users;
using WaIdentity.Tests.Channel;
using WaIdentity.Tests.Infrastructure;

namespace WaIdentity.Tests.Login;

/// <summary>WhatsApp OTP login driven through Debian's Chromium, the way a person uses it.</summary>
public sealed class WhatsAppOtpBrowserTests(LoginBrowser browser) : BrowserTests(browser)
{
    public const string TestCode = "246810";

    public static Dictionary<string, string?> Settings(params (string Key, string? Value)[] extra)
    {
        var settings = new Dictionary<string, string?>(ChannelTestKit.Settings())
        {
            ["Login:TestNumbers:Pattern"] = @"^\+62999",
            ["Login:TestNumbers:FixedCode"] = TestCode,
            ["Login:Otp:ResendCooldownSeconds"] = "2",
        };
        foreach (var (k, v) in extra) settings[k] = v;
        return settings;
    }

    private static async Task<IPage> StartAsync(IPage page, IdpTestServer server, string phone, string returnUrl = "/?from=app")
    {
        await page.GotoAsync(new Uri(server.BaseAddress, "/login?returnUrl=" + Uri.EscapeDataString(returnUrl)).ToString());
        await page.FillAsync("#phone", phone);
        await page.ClickAsync("#send-code");
        return page;
    }

    internal static async Task EnterCodeAsync(IPage page, string code)
    {
        await page.FillAsync("#code", code);
        // Waits until the page that answers the POST is parsed. Waiting for the POST's response and then for a load
        // state once hung for 60 s in CI after the answer had arrived, as PageArrival.SubmitAsync had before.
        await page.SubmitAsync("#verify");
    }

    internal static async Task<string> CodeFromInboxAsync(IdpTestServer server, string phone, string channel, int count = 1)
    {
        var items = await ChannelTestKit.InboxWhenAsync(server, phone, m => m.Count(i => i.Code is not null && i.Channel == channel) >= count);
        return items.First(i => i.Code is not null && i.Channel == channel).Code!;
    }

    private static string National(string e164) => "0" + e164[3..];

    [Fact]
    public async Task A_new_phone_logs_in_with_the_code_WhatsApp_delivered_and_is_registered_as_verified()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, Settings());
        var phone = ChannelTestKit.NewPhone();
        var page = await StartAsync(await browser.NewPageAsync(), server, National(phone));

        Assert.EndsWith("/login/code", new Uri(page.Url).AbsolutePath, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("•••• " + phone[^3..], await page.InnerTextAsync("main"));
        var code = await CodeFromInboxAsync(server, phone, "whatsapp");
        await page.WaitForFunctionAsync("() => document.getElementById('delivery-status').textContent === 'Delivered to WhatsApp.'", null);
        await EnterCodeAsync(page, code);

        await page.ArrivedAsync(u => new Uri(u).PathAndQuery == "/?from=app");
        Assert.Contains(await page.Context.CookiesAsync(), c => c.Name == "waid.session" && c.HttpOnly);
        var user = await server.InScopeAsync(sp => sp.GetRequiredService<UserManager<IdpUser>>().Users.SingleAsync());
        Assert.Equal(phone, user.PhoneNumber);
        Assert.True(user.PhoneNumberConfirmed);
    }

    [Fact]
    public async Task Send_by_SMS_instead_works_at_once_sends_the_same_code_and_is_then_no_longer_offered()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        // A long resend cooldown: switching channel is not a resend, so it must not wait for it.
        await using var server = await IdpTestServer.StartAsync(db, Settings(("Login:Otp:ResendCooldownSeconds", "600")));
        var phone = ChannelTestKit.NewPhone();
        var page = await StartAsync(await browser.NewPageAsync(), server, phone);
        var whatsAppCode = await CodeFromInboxAsync(server, phone, "whatsapp");

        Assert.True(await page.IsDisabledAsync("#resend"));
        await page.ClickAsync("#send-sms");
        Assert.Equal("We sent your code by SMS. It is the same code as before.", await page.InnerTextAsync("#notice"));
        Assert.Empty(await page.QuerySelectorAllAsync("#code-error"));
        Assert.Equal(whatsAppCode, await CodeFromInboxAsync(server, phone, "sms"));
        Assert.Equal(0, await page.Locator("#send-sms").CountAsync());
        try { await page.WaitForFunctionAsync("() => document.getElementById('delivery-status').textContent.includes('by SMS')", null); }
        catch (TimeoutException) { Assert.Fail("status: " + await page.InnerTextAsync("#delivery-status") + " url " + page.Url); }

        await EnterCodeAsync(page, whatsAppCode);
        await page.ArrivedAsync(u => new Uri(u).PathAndQuery == "/?from=app");
    }

    [Fact]
    public async Task When_WhatsApp_fails_the_page_says_the_code_went_by_SMS_and_that_code_works()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, Settings());
        await ChannelTestKit.FailNextAsync(server, "whatsapp", 1, "undeliverable");
        var phone = ChannelTestKit.NewPhone();
        var page = await StartAsync(await browser.NewPageAsync(), server, phone);

        await page.WaitForFunctionAsync("() => document.getElementById('delivery-status').textContent === 'WhatsApp failed, sent by SMS.'", null);
        var code = await CodeFromInboxAsync(server, phone, "sms");
        await EnterCodeAsync(page, code);
        await page.ArrivedAsync(u => new Uri(u).PathAndQuery == "/?from=app");
    }

    [Fact]
    public async Task A_test_number_logs_in_with_the_fixed_code_and_nothing_is_delivered()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, Settings());
        var page = await StartAsync(await browser.NewPageAsync(), server, "0999 1234 5678");
        await EnterCodeAsync(page, TestCode);

        await page.ArrivedAsync(u => new Uri(u).PathAndQuery == "/?from=app");
        var cookies = await page.Context.CookiesAsync();
        Assert.Contains(cookies, c => c.Name == "waid.session" && c.HttpOnly);
        var user = await server.InScopeAsync(sp => sp.GetRequiredService<UserManager<IdpUser>>().Users.SingleAsync());
        Assert.Equal("+6299912345678", user.PhoneNumber);
        Assert.True(user.PhoneNumberConfirmed);
    }

    [Fact]
    public async Task A_wrong_code_says_how_many_tries_are_left_and_the_fifth_kills_the_code()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, Settings());
        var page = await StartAsync(await browser.NewPageAsync(), server, "+62 999 1234 5678");

        await EnterCodeAsync(page, "111111");
        Assert.Equal("That code is not right. 4 attempts left.", await page.InnerTextAsync("#code-error"));
        for (var i = 0; i < 4; i++) await EnterCodeAsync(page, "111111");
        Assert.Contains("this code no longer works", await page.InnerTextAsync("#code-error"));

        await EnterCodeAsync(page, TestCode);
        Assert.Contains("this code no longer works", await page.InnerTextAsync("#code-error"));
        Assert.EndsWith("/login/code", new Uri(page.Url).AbsolutePath, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "waid.session");
    }

    [Fact]
    public async Task An_expired_code_is_refused_with_a_clear_message()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, Settings(("Login:Otp:LifetimeSeconds", "5")));
        var page = await StartAsync(await browser.NewPageAsync(), server, "09991234567");

        server.Clock.Advance(TimeSpan.FromSeconds(6));
        await EnterCodeAsync(page, TestCode);

        Assert.Equal("This code has expired. Request a new code.", await page.InnerTextAsync("#code-error"));
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "waid.session");
    }

    [Fact]
    public async Task The_resend_cooldown_is_visible_grows_and_a_resend_sends_the_same_code()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, Settings(("Login:Otp:ResendCooldownSeconds", "30")));
        var phone = ChannelTestKit.NewPhone();
        // A fake clock stays installed in its context: this one is not reused.
        var fresh = await browser.NewPageAsync(reusable: false);
        // The page counts down on the browser's clock and the server enforces on its own: the test moves both on
        // together instead of waiting out the cooldown (a short real cooldown could pass while a busy machine loads).
        // The page's clock stands still between moves: a slow run must not see "28 s" where the page showed 30.
        await fresh.Clock.InstallAsync();
        await fresh.Clock.PauseAtAsync(DateTime.UtcNow.AddSeconds(1));
        var page = await StartAsync(fresh, server, phone);
        var first = await CodeFromInboxAsync(server, phone, "whatsapp");

        Assert.True(await page.IsDisabledAsync("#resend"));
        // What is left is the server's count at the page's render; a busy machine may take seconds to get there.
        Assert.InRange(SecondsLeft(await page.InnerTextAsync("#resend")), 10, 30);
        server.Clock.Advance(TimeSpan.FromSeconds(31));
        await page.Clock.FastForwardAsync(31_000);
        await Assertions.Expect(page.Locator("#resend")).ToBeEnabledAsync();
        await page.ClickAsync("#resend");

        Assert.Equal("We sent your code again by WhatsApp. It is the same code.", await page.InnerTextAsync("#notice"));
        Assert.True(await page.IsDisabledAsync("#resend"));
        Assert.InRange(SecondsLeft(await page.InnerTextAsync("#resend")), 40, 60); // grown: longer than the first 30 s
        var items = await ChannelTestKit.InboxWhenAsync(server, phone, m => m.Count(i => i.Code is not null) >= 2);
        Assert.All(items.Where(i => i.Code is not null), i => Assert.Equal(first, i.Code));
        await EnterCodeAsync(page, first);
        await page.ArrivedAsync(u => new Uri(u).PathAndQuery == "/?from=app");
    }

    private static int SecondsLeft(string label) =>
        int.Parse(Assert.Single(System.Text.RegularExpressions.Regex.Matches(label, @"^Resend code in (\d+) s$")).Groups[1].Value);

    [Fact]
    public async Task Starting_again_with_the_same_number_is_never_a_cooldown_error_and_sends_no_second_code()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, Settings(("Login:Otp:ResendCooldownSeconds", "600")));
        var phone = ChannelTestKit.NewPhone();
        var page = await StartAsync(await browser.NewPageAsync(), server, phone);
        var code = await CodeFromInboxAsync(server, phone, "whatsapp");
        await page.ClickAsync("#other-number");
        await page.FillAsync("#phone", phone);
        await page.ClickAsync("#send-code");

        Assert.EndsWith("/login/code", new Uri(page.Url).AbsolutePath, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("We already sent a code to this number a moment ago. It still works: enter it below.", await page.InnerTextAsync("#notice"));
        Assert.Single(await ChannelTestKit.MessagesToAsync(server, phone)); // the cooldown is the phone's, not the flow's
        await EnterCodeAsync(page, code);
        await page.ArrivedAsync(u => new Uri(u).PathAndQuery == "/?from=app");
    }

    [Fact]
    public async Task The_login_pages_speak_Indonesian_to_an_Indonesian_browser()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, Settings());
        var page = await browser.NewPageAsync("id-ID");
        await page.GotoAsync(new Uri(server.BaseAddress, "/login").ToString());

        Assert.Equal("Masuk", await page.InnerTextAsync("h1"));
        Assert.Equal("Kirim kode", await page.InnerTextAsync("#send-code"));
        await page.FillAsync("#phone", "0812");
        await page.ClickAsync("#send-code");
        Assert.StartsWith("Nomor telepon tidak valid", await page.InnerTextAsync("#phone-error"));

        await page.FillAsync("#phone", "09991234567");
        await page.ClickAsync("#send-code");
        Assert.Equal("Masukkan kode Anda", await page.InnerTextAsync("h1"));
        await EnterCodeAsync(page, "111111");
        Assert.Equal("Kode salah. Sisa 4 percobaan.", await page.InnerTextAsync("#code-error"));
    }

    [Fact]
    public async Task Without_a_configured_channel_the_page_says_so_plainly()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, Settings(
            ("Channel:Mode", "Live"), ("Channel:PublicBaseUrl", "http://127.0.0.1:1"), ("Channel:Sms:BaseUrl", "http://127.0.0.1:1"), ("Channel:Sms:AccountSid", "AC0123"),
            ("Channel:Sms:AuthToken", "not-used-here"), ("Channel:Sms:From", "+15005550006"), ("Login:DeliveryPolicy", "WhatsAppOnly")));
        var page = await StartAsync(await browser.NewPageAsync(), server, "0812 3456 7890");

        Assert.EndsWith("/login", new Uri(page.Url).AbsolutePath, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("WhatsApp is not set up on this server, so no code can be sent. Please contact the administrator.", await page.InnerTextAsync("#phone-error"));
    }
}
