using WaIdentity.IdP.Persistence;
using Microsoft.Playwright;
using WaIdentity.Tests.Channel;
using WaIdentity.Tests.Infrastructure;
using static WaIdentity.Tests.Login.WhatsAppOtpBrowserTests;

namespace WaIdentity.Tests.Login;

/// <summary>The WhatsApp code journey as a person meets it: what the pages say, and one code per phone.</summary>
public sealed class OtpJourneyBrowserTests(LoginBrowser browser) : BrowserTests(browser)
{
    private static async Task<IPage> AskForCodeAsync(IPage page, IdpTestServer server, string phone)
    {
        await page.GotoAsync(new Uri(server.BaseAddress, "/login?returnUrl=" + Uri.EscapeDataString("/?from=app")).ToString());
        await page.FillAsync("#phone", phone);
        await page.ClickAsync("#send-code");
        return page;
    }

    [Theory]
    [InlineData("en-US")]
    [InlineData("id-ID")]
    public async Task The_code_page_and_the_signed_in_page_show_no_stray_characters_and_their_own_title(string locale)
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, Settings());
        var page = await AskForCodeAsync(await browser.NewPageAsync(locale), server, "09991234567");

        Assert.DoesNotContain("}", await page.InnerTextAsync("body"));

        // The signed-in page moves on at once (Refresh), so post the form with the browser's cookies and show its answer.
        var form = page.Context.APIRequest.CreateFormData();
        form.Set("Code", TestCode);
        form.Set("__RequestVerificationToken", await page.InputValueAsync("#code-form input[name=__RequestVerificationToken]"));
        var answer = await page.Context.APIRequest.PostAsync(new Uri(server.BaseAddress, "/login/code").ToString(),
            new() { Form = form, MaxRedirects = 0, Headers = new Dictionary<string, string> { ["Accept-Language"] = locale } });
        Assert.Equal(200, answer.Status);
        var signedIn = await browser.NewPageAsync(locale);
        await signedIn.SetContentAsync(await answer.TextAsync());
        var heading = await signedIn.InnerTextAsync("h1");
        Assert.Equal(locale == "en-US" ? "You are signed in" : "Anda sudah masuk", heading);
        Assert.StartsWith(heading, await signedIn.TitleAsync());
        Assert.DoesNotContain("}", await signedIn.InnerTextAsync("body"));
    }

    [Fact]
    public async Task A_resend_keeps_the_wrong_attempts_of_the_code()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, Settings(("Login:Otp:ResendCooldownSeconds", "1")));
        var page = await AskForCodeAsync(await browser.NewPageAsync(), server, "09991234567");
        for (var i = 0; i < 4; i++) await EnterCodeAsync(page, "111111");
        Assert.Equal("That code is not right. 1 attempt left.", await page.InnerTextAsync("#code-error"));

        await page.WaitForFunctionAsync("() => !document.getElementById('resend').disabled", null);
        await page.ClickAsync("#resend");
        await EnterCodeAsync(page, "111111");

        // The resend re-sent the same code with its count: the fifth wrong entry killed it, the right one is too late.
        Assert.Contains("this code no longer works", await page.InnerTextAsync("#code-error"));
        await EnterCodeAsync(page, TestCode);
        Assert.Contains("this code no longer works", await page.InnerTextAsync("#code-error"));
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "waid.session");
    }

    [Fact]
    public async Task Two_browsers_asking_for_one_phone_share_one_code_and_one_message()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, Settings(("Login:Otp:ResendCooldownSeconds", "600")));
        var phone = ChannelTestKit.NewPhone();
        var first = await AskForCodeAsync(await browser.NewPageAsync(), server, phone);
        var second = await AskForCodeAsync(await browser.NewPageAsync(), server, phone);

        Assert.Equal("We already sent a code to this number a moment ago. It still works: enter it below.", await second.InnerTextAsync("#notice"));
        Assert.Single(await ChannelTestKit.MessagesToAsync(server, phone));
        var code = await CodeFromInboxAsync(server, phone, "whatsapp");
        await EnterCodeAsync(second, code);
        await second.ArrivedAsync(u => new Uri(u).PathAndQuery == "/?from=app");

        await EnterCodeAsync(first, code); // used up: the phone never held a second valid code
        Assert.Equal("This code has already been used. Request a new code.", await first.InnerTextAsync("#code-error"));
    }

    [Fact]
    public async Task The_per_phone_send_limit_is_the_channels_and_its_refusal_says_how_long_to_wait()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, Settings(
            ("Channel:Limits:PerPhonePerHour", "2"), ("Login:Otp:ResendCooldownSeconds", "0")));
        var phone = ChannelTestKit.NewPhone();
        var page = await AskForCodeAsync(await browser.NewPageAsync(), server, phone);

        await page.ClickAsync("#resend");
        Assert.Equal("We sent your code again by WhatsApp. It is the same code.", await page.InnerTextAsync("#notice"));
        await page.ClickAsync("#send-sms"); // a switch of channel is a send like any other for the limit

        Assert.Equal("Too many codes were requested. Try again in 60 minutes.", await page.InnerTextAsync("#code-error"));
        Assert.Equal(2, (await ChannelTestKit.MessagesToAsync(server, phone)).Count);
    }

    [Theory]
    [InlineData("12345", "This phone number is too short: a digit may be missing. Type the whole number, for example 0812-345-678.")]
    [InlineData("+62 812 3456 7890 1234", "This phone number is too long for its country. Check for an extra digit.")]
    public async Task A_number_of_the_wrong_length_is_called_too_short_or_too_long(string typed, string message)
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, Settings());
        var page = await AskForCodeAsync(await browser.NewPageAsync(), server, typed);

        Assert.Equal("Sign in", await page.InnerTextAsync("h1"));
        Assert.Equal(message, await page.InnerTextAsync("#phone-error"));
    }
}
