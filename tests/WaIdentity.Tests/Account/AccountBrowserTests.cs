using System.Net.Http.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.Playwright;
using WaIdentity.IdP.Persistence;
using WaIdentity.IdP.Users;
using WaIdentity.Tests.Channel;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.Tests.Login;
using WaIdentity.Tests.Mfa;
using WaIdentity.Tests.Oidc;

namespace WaIdentity.Tests.Account;

/// <summary>Account pages through Debian's Chromium: changing the phone, and "this was not me" after a send-code login.</summary>
public sealed class AccountBrowserTests(LoginBrowser browser) : BrowserTests(browser)
{
    [Fact]
    public async Task A_new_phone_replaces_the_old_one_only_after_its_WhatsApp_code_and_the_old_number_is_told()
    {
        await using var kit = await MfaKit.StartAsync();
        var page = await browser.NewPageAsync();
        await page.GotoAsync(kit.Url("/login?returnUrl=%2Faccount"));
        await MfaKit.PasswordAsync(page);
        await MfaKit.ArrivedAtAsync(page, "/account");
        await page.ClickAsync("#change-phone");
        var newPhone = ChannelTestKit.NewPhone();
        await page.FillAsync("#phone", "0" + newPhone[3..]);
        await page.SubmitAsync("#send-code");
        Assert.Equal(OidcTestHost.Phone, await PhoneOfUserAsync(kit));

        var code = (await ChannelTestKit.InboxWhenAsync(kit.Server, newPhone, m => m.Any(i => i.Code is not null))).First(i => i.Code is not null).Code!;
        await page.FillAsync("#code", code == "000000" ? "111111" : "000000");
        await page.SubmitAsync("#verify");
        Assert.Equal(OidcTestHost.Phone, await PhoneOfUserAsync(kit));
        await page.FillAsync("#code", code);
        await page.SubmitAsync("#verify");

        Assert.Contains(newPhone, await page.InnerTextAsync("#notice"));
        Assert.Equal(newPhone, await PhoneOfUserAsync(kit));
        var told = await ChannelTestKit.InboxWhenAsync(kit.Server, OidcTestHost.Phone, m => m.Any(i => i.Text.Contains("changed away from this number")));
        Assert.NotEmpty(told);
    }

    [Fact]
    public async Task The_send_code_reply_names_the_app_and_browser_and_its_not_me_link_ends_that_session_once()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, WhatsAppOtpBrowserTests.Settings(("Login:SendCode:BusinessNumber", "+6281100000000")));
        var intruder = await browser.NewPageAsync();
        await intruder.GotoAsync(new Uri(server.BaseAddress, "/login?returnUrl=%2Faccount").ToString());
        await intruder.ClickAsync("#send-code-login");
        var link = (await intruder.GetAttributeAsync("#wa-link", "href"))!;
        var text = Uri.UnescapeDataString(link[(link.IndexOf("text=") + 5)..]);
        var victim = ChannelTestKit.NewPhone();

        using (var client = server.CreateClient())
            (await client.PostAsJsonAsync("/dev/inbox/api/inbound", new { from = victim, text })).EnsureSuccessStatusCode();
        await intruder.ClickAsync("#continue-as");
        await MfaKit.ArrivedAtAsync(intruder, "/account");

        var reply = (await ChannelTestKit.InboxWhenAsync(server, victim, m => m.Any(i => i.Text.Contains("/account/not-me/")))).First(i => i.Text.Contains("/account/not-me/"));
        Assert.Contains("You just signed in to WaIdentity on Chrome on Linux", reply.Text);
        var notMe = reply.Text[reply.Text.IndexOf("http", StringComparison.Ordinal)..].Trim();
        var phone = await browser.NewPageAsync();
        await phone.GotoAsync(notMe);
        await phone.SubmitAsync("#end-session");
        Assert.Contains("has been ended", await phone.InnerTextAsync("#not-me-result"));

        await intruder.GotoAsync(new Uri(server.BaseAddress, "/account").ToString());
        Assert.Equal("/login", new Uri(intruder.Url).AbsolutePath);
        await phone.GotoAsync(notMe);
        Assert.Contains("expired or was already used", await phone.InnerTextAsync("#not-me-result"));
    }

    private static Task<string?> PhoneOfUserAsync(MfaKit kit) =>
        kit.Server.InScopeAsync(async sp => (await sp.GetRequiredService<UserManager<IdpUser>>().FindByIdAsync(kit.Host.UserId))!.PhoneNumber);
}
