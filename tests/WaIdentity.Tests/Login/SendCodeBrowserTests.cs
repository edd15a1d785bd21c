using System.Net.Http.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using WaIdentity.IdP.Persistence;
using WaIdentity.IdP.Users;
using WaIdentity.Tests.Channel;
using WaIdentity.Tests.Infrastructure;

namespace WaIdentity.Tests.Login;

/// <summary>Send-code login: the page shows a code, the phone sends it (the dev inbox's inbound API), the page continues.</summary>
public sealed class SendCodeBrowserTests(LoginBrowser browser) : BrowserTests(browser)
{
    private const string BusinessNumber = "+6281100000000";

    private static Dictionary<string, string?> Settings(params (string Key, string? Value)[] extra) =>
        WhatsAppOtpBrowserTests.Settings([("Login:SendCode:BusinessNumber", BusinessNumber), .. extra]);

    private static async Task SendFromPhoneAsync(IdpTestServer server, string from, string text, string? profileName = null)
    {
        using var client = server.CreateClient();
        var response = await client.PostAsJsonAsync("/dev/inbox/api/inbound", new { from, text, profileName });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<string> OpenSendCodeAsync(IPage page)
    {
        await page.ClickAsync("#send-code-login");
        Assert.StartsWith("data:image/svg+xml;base64,", await page.GetAttributeAsync("#qr", "src"));
        var link = (await page.GetAttributeAsync("#wa-link", "href"))!;
        Assert.StartsWith("https://wa.me/6281100000000?text=", link);
        var text = Uri.UnescapeDataString(link[(link.IndexOf("text=") + 5)..]);
        var code = await page.InnerTextAsync("#send-code");
        Assert.Equal($"Log in to WaIdentity with this code: {code}", text);
        return text;
    }

    /// <summary>How the page names the sender: country code and last three digits.</summary>
    private static string Masked(string phone) => $"{phone[..4]} •••• {phone[^3..]}";

    /// <summary>The page asks "Continue as …?" with the masked sender; nothing is signed in before the click.</summary>
    private static async Task ConfirmAsync(IPage page, string phone)
    {
        var button = page.Locator("#continue-as");
        await Assertions.Expect(button).ToHaveTextAsync($"Continue as {Masked(phone)}");
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "waid.session");
        await button.ClickAsync();
    }

    [Fact]
    public async Task Sending_the_prefilled_message_logs_the_waiting_browser_in_as_the_sender()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, Settings());
        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(server.BaseAddress, "/login?returnUrl=" + Uri.EscapeDataString("/?from=app")).ToString());
        var text = await OpenSendCodeAsync(page);
        var phone = ChannelTestKit.NewPhone();

        await SendFromPhoneAsync(server, phone, text, "<img src=x onerror=alert(1)>");
        await ConfirmAsync(page, phone);

        await page.ArrivedAsync(u => new Uri(u).PathAndQuery == "/?from=app");
        Assert.Contains(await page.Context.CookiesAsync(), c => c.Name == "waid.session");
        var user = await server.InScopeAsync(sp => sp.GetRequiredService<UserManager<IdpUser>>().Users.SingleAsync());
        Assert.Equal(phone, user.PhoneNumber);
        Assert.True(user.PhoneNumberConfirmed);
    }

    [Fact]
    public async Task The_senders_profile_name_is_shown_as_text_and_never_becomes_markup()
    {
        const string evil = "<img src=x onerror=alert(1)>";
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, Settings());
        var page = await browser.NewPageAsync();
        var dialogs = 0;
        page.Dialog += (_, d) => { dialogs++; _ = d.DismissAsync(); };
        await page.GotoAsync(new Uri(server.BaseAddress, "/login").ToString());
        var text = await OpenSendCodeAsync(page);

        var phone = ChannelTestKit.NewPhone();
        await SendFromPhoneAsync(server, phone, text, evil);

        await Assertions.Expect(page.Locator("#continue-as")).ToBeVisibleAsync();
        Assert.Equal($"A message arrived from {Masked(phone)} (WhatsApp name “{evil}”).", await page.InnerTextAsync("#send-code-status"));
        Assert.Equal(0, await page.Locator("#send-code-status *").CountAsync());
        Assert.Equal(0, await page.Locator("img[src='x']").CountAsync());
        Assert.Equal(0, dialogs);
    }

    /// <summary>Logs in by send-code and returns every URL the page requested on the way.</summary>
    private async Task<List<string>> LogInWatchingRequestsAsync(IdpTestServer server, bool withoutEventSource)
    {
        var page = await browser.NewPageAsync();
        var requested = new List<string>();
        var listening = new TaskCompletionSource();
        page.Request += (_, r) =>
        {
            var path = new Uri(r.Url).PathAndQuery;
            lock (requested) requested.Add(path);
            if (path == "/login/send-code/events" || path.Contains("handler=Status", StringComparison.OrdinalIgnoreCase)) listening.TrySetResult();
        };
        // An old browser, or one whose EventSource is blocked: the page must fall back to polling.
        if (withoutEventSource) await page.AddInitScriptAsync("Object.defineProperty(window, 'EventSource', { value: undefined });");
        await page.GotoAsync(new Uri(server.BaseAddress, "/login?returnUrl=" + Uri.EscapeDataString("/?from=app")).ToString());
        var text = await OpenSendCodeAsync(page);
        await listening.Task.WaitAsync(TimeSpan.FromSeconds(60)); // the page waits for the message its own way first

        var phone = ChannelTestKit.NewPhone();
        await SendFromPhoneAsync(server, phone, text);
        await ConfirmAsync(page, phone);

        await page.ArrivedAsync(u => new Uri(u).PathAndQuery == "/?from=app");
        Assert.Contains(await page.Context.CookiesAsync(), c => c.Name == "waid.session");
        lock (requested) return [.. requested];
    }

    [Fact]
    public async Task The_waiting_page_learns_the_result_from_server_sent_events_and_never_polls()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, Settings());

        var requested = await LogInWatchingRequestsAsync(server, withoutEventSource: false);

        Assert.Contains("/login/send-code/events", requested);
        Assert.DoesNotContain(requested, u => u.Contains("handler=Status", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Without_EventSource_the_waiting_page_polls_and_still_continues()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, Settings());

        var requested = await LogInWatchingRequestsAsync(server, withoutEventSource: true);

        Assert.DoesNotContain("/login/send-code/events", requested);
        Assert.Contains(requested, u => u.Contains("handler=Status", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task With_a_login_hint_a_message_from_another_number_is_refused()
    {
        await using var callback = await RelyingPartyOtpLoginTests.CallbackApp.StartAsync();
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, Settings(RelyingPartyOtpLoginTests.ClientSettings(callback.CallbackUrl)));
        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(server.BaseAddress, RelyingPartyOtpLoginTests.AuthorizePath(callback.CallbackUrl, "challenge-not-used-here-0000000000000000000", "+62 812 1111 2222")).ToString());
        var text = await OpenSendCodeAsync(page);

        await SendFromPhoneAsync(server, "+6281233334444", text);

        await page.WaitForFunctionAsync("() => document.getElementById('send-code-status').className === 'error'", null);
        Assert.StartsWith("The message came from a different number", await page.InnerTextAsync("#send-code-status"));
        await SendFromPhoneAsync(server, "+6281211112222", text);
        await ChannelTestKit.QuietAsync(server);
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "waid.session");
        Assert.Equal(0, await server.InScopeAsync(sp => sp.GetRequiredService<UserManager<IdpUser>>().Users.CountAsync()));
    }

    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task The_page_shows_the_number_to_send_to_the_whole_code_a_countdown_and_copy_buttons(int width, int height)
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, Settings());
        var context = await browser.NewContextAsync(new()
        {
            Locale = "en-US", ViewportSize = new() { Width = width, Height = height }, Permissions = ["clipboard-read", "clipboard-write"],
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(server.BaseAddress, "/login").ToString());
        await OpenSendCodeAsync(page);

        Assert.Equal(BusinessNumber, await page.InnerTextAsync("#business-number"));
        var code = await page.InnerTextAsync("#send-code");
        // One line box each: the code and the number never break inside.
        Assert.Equal(1, await page.EvaluateAsync<int>("() => document.getElementById('send-code').getClientRects().length"));
        Assert.Equal(1, await page.EvaluateAsync<int>("() => document.getElementById('business-number').getClientRects().length"));
        var expiry = page.Locator("#send-code-expiry");
        await Assertions.Expect(expiry).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^The code expires in [45]:\d\d\.$"));
        await Assertions.Expect(expiry).Not.ToHaveTextAsync(await expiry.InnerTextAsync()); // it counts down

        await page.ClickAsync("button[data-copy=send-code]");
        Assert.Equal(code, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
        await page.ClickAsync("button[data-copy=business-number]");
        Assert.Equal(BusinessNumber, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));

        // On a phone the way there is the button; the QR (for a second device) comes after it.
        var button = (await page.Locator("#wa-link").BoundingBoxAsync())!;
        var qr = (await page.Locator("#qr").BoundingBoxAsync())!;
        if (width < 600) Assert.True(button.Y + button.Height <= qr.Y, $"button at {button.Y}, QR at {qr.Y}");
    }

    [Fact]
    public async Task A_stranger_sending_the_shown_code_does_not_sign_this_browser_in_until_its_user_confirms_the_number()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, Settings());
        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(server.BaseAddress, "/login").ToString());
        var text = await OpenSendCodeAsync(page);
        var stranger = ChannelTestKit.NewPhone();

        await SendFromPhoneAsync(server, stranger, text, "Customer Support");

        await Assertions.Expect(page.Locator("#continue-as")).ToHaveTextAsync($"Continue as {Masked(stranger)}");
        // The sender's self-chosen name never stands alone: the masked number is said beside it.
        Assert.Contains(Masked(stranger), await page.InnerTextAsync("#send-code-status"));
        Assert.Equal("/login/send-code", new Uri(page.Url).AbsolutePath);
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "waid.session");
        // What a cross-site form would send: the browser's cookies but not the page's antiforgery token. Refused.
        var forged = await page.Context.APIRequest.PostAsync(new Uri(server.BaseAddress, "/login/send-code").ToString());
        Assert.InRange(forged.Status, 400, 499);
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "waid.session");

        await page.ClickAsync("#not-me");
        Assert.NotEqual(text, await OpenedAgainAsync(page));
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "waid.session");
        Assert.Equal(0, await server.InScopeAsync(sp => sp.GetRequiredService<UserManager<IdpUser>>().Users.CountAsync()));
    }

    private static async Task<string> OpenedAgainAsync(IPage page)
    {
        var link = (await page.GetAttributeAsync("#wa-link", "href"))!;
        return Uri.UnescapeDataString(link[(link.IndexOf("text=") + 5)..]);
    }

    [Fact]
    public async Task In_development_the_sandbox_gives_send_code_login_a_business_number_without_configuration()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, WhatsAppOtpBrowserTests.Settings());
        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(server.BaseAddress, "/login").ToString());

        await page.ClickAsync("#send-code-login");

        Assert.Equal("+" + WaIdentity.WaChannel.Sandbox.SandboxCredentials.BusinessNumber, await page.InnerTextAsync("#business-number"));
        Assert.StartsWith($"https://wa.me/{WaIdentity.WaChannel.Sandbox.SandboxCredentials.BusinessNumber}?text=", await page.GetAttributeAsync("#wa-link", "href"));
    }
}
