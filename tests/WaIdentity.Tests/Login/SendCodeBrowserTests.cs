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
[Collection(LoginBrowserCollection.Name)]
public sealed class SendCodeBrowserTests(LoginBrowser browser)
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

        await page.WaitForURLAsync(u => new Uri(u).PathAndQuery == "/?from=app", new() { Timeout = 20000 });
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
        // Keeps the page on its "message received" line: the completing form is noted instead of submitted.
        await page.AddInitScriptAsync("HTMLFormElement.prototype.submit = function () { window.__completed = true; };");
        var dialogs = 0;
        page.Dialog += (_, d) => { dialogs++; _ = d.DismissAsync(); };
        await page.GotoAsync(new Uri(server.BaseAddress, "/login").ToString());
        var text = await OpenSendCodeAsync(page);

        await SendFromPhoneAsync(server, ChannelTestKit.NewPhone(), text, evil);

        await page.WaitForFunctionAsync("() => window.__completed === true", null, new() { Timeout = 20000 });
        Assert.Equal($"Message received from {evil}. Signing you in…", await page.InnerTextAsync("#send-code-status"));
        Assert.Equal(0, await page.Locator("#send-code-status *").CountAsync());
        Assert.Equal(0, await page.Locator("img[src='x']").CountAsync());
        Assert.Equal(0, dialogs);
    }

    /// <summary>Logs in by send-code and returns every URL the page requested on the way.</summary>
    private async Task<List<string>> LogInWatchingRequestsAsync(IdpTestServer server, bool withoutEventSource)
    {
        var page = await browser.NewPageAsync();
        var requested = new List<string>();
        page.Request += (_, r) => { lock (requested) requested.Add(new Uri(r.Url).PathAndQuery); };
        // An old browser, or one whose EventSource is blocked: the page must fall back to polling.
        if (withoutEventSource) await page.AddInitScriptAsync("Object.defineProperty(window, 'EventSource', { value: undefined });");
        await page.GotoAsync(new Uri(server.BaseAddress, "/login?returnUrl=" + Uri.EscapeDataString("/?from=app")).ToString());
        var text = await OpenSendCodeAsync(page);
        await Task.Delay(2000); // long enough for the polling page to have asked at least once

        await SendFromPhoneAsync(server, ChannelTestKit.NewPhone(), text);

        await page.WaitForURLAsync(u => new Uri(u).PathAndQuery == "/?from=app", new() { Timeout = 20000 });
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

        await page.WaitForFunctionAsync("() => document.getElementById('send-code-status').className === 'error'", null, new() { Timeout = 20000 });
        Assert.StartsWith("The message came from a different number", await page.InnerTextAsync("#send-code-status"));
        await SendFromPhoneAsync(server, "+6281211112222", text);
        await ChannelTestKit.SettleAsync();
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "waid.session");
        Assert.Equal(0, await server.InScopeAsync(sp => sp.GetRequiredService<UserManager<IdpUser>>().Users.CountAsync()));
    }
}
