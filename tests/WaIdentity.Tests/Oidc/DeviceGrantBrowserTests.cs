using System.Net.Http.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.Playwright;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Channel;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.Tests.Login;

namespace WaIdentity.Tests.Oidc;

/// <summary>The device grant approved in Chromium: the TV polls while its user types the code, signs in and approves.</summary>
public sealed class DeviceGrantBrowserTests(LoginBrowser browser) : BrowserTests(browser)
{
    [Theory]
    [InlineData("en-US", "en")]
    [InlineData("id-ID", "id")]
    public async Task The_TV_polls_until_its_user_approves_in_the_browser_then_gets_tokens(string locale, string language)
    {
        await using var host = await OidcTestHost.StartAsync(DatabaseProvider.Sqlite, ChannelTestKit.Settings());
        await DeviceClient.RegisterAsync(host);
        var tv = new DeviceClient(host);
        await tv.StartAsync();
        Assert.Equal("authorization_pending", DeviceClient.Error((await tv.PollAsync()).Body));

        var page = await browser.NewPageAsync(locale);
        await page.SetViewportSizeAsync(1280, 800);
        var shots = new Screenshots(page, $"device-{language}");
        await page.GotoAsync(new Uri(host.Server.BaseAddress, "/device").ToString());
        await ShootAsync(page, shots, "enter-code");

        // Typed as people type it: lower case, no dash.
        await page.FillAsync("#user-code", tv.UserCode.Replace("-", "").ToLowerInvariant());
        await page.ClickAsync("#code-continue");
        await Assertions.Expect(page.Locator("#device-user-code")).ToHaveTextAsync(tv.UserCode);
        await ShootAsync(page, shots, "sign-in-or-phone");

        await page.ClickAsync("#device-sign-in");
        await page.ClickAsync("#password-login");
        await page.FillAsync("#Email", OidcTestHost.Email);
        await page.FillAsync("#Password", OidcTestHost.Password);
        await page.Locator("form:has(#Password) button[type=submit]").ClickAsync();

        await Assertions.Expect(page.Locator("#device-approve")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#device-user-code")).ToHaveTextAsync(tv.UserCode);
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync(DeviceClient.DisplayName);
        await ShootAsync(page, shots, "confirm");
        Assert.Equal("authorization_pending", DeviceClient.Error((await tv.PollAfterIntervalAsync()).Body));

        await page.ClickAsync("#device-approve");
        await Assertions.Expect(page.Locator("#device-approved")).ToBeVisibleAsync();
        await ShootAsync(page, shots, "approved");

        var (status, tokens) = await tv.PollUntilAnsweredAsync(ChannelTestKit.Patience);
        Assert.Equal(200, status);
        var idToken = new JsonWebToken(tokens.GetProperty("id_token").GetString());
        Assert.Equal(host.UserId, idToken.Subject);
        Assert.Equal(["pwd"], idToken.GetPayloadValue<string[]>("amr"));
    }

    [Theory]
    [InlineData("en-US", "en")]
    [InlineData("id-ID", "id")]
    public async Task Without_signing_in_the_user_has_the_request_put_to_their_phone_and_a_WhatsApp_YES_approves_it(string locale, string language)
    {
        await using var host = await OidcTestHost.StartAsync(DatabaseProvider.Sqlite, ChannelTestKit.Settings());
        await DeviceClient.RegisterAsync(host);
        var tv = new DeviceClient(host);
        await tv.StartAsync();
        using (var phone = host.Server.CreateClient())
            (await phone.PostAsJsonAsync("/dev/inbox/api/inbound", new { from = OidcTestHost.Phone, text = "Hi" })).EnsureSuccessStatusCode();

        var page = await browser.NewPageAsync(locale);
        await page.SetViewportSizeAsync(1280, 800);
        var shots = new Screenshots(page, $"device-phone-{language}");
        await page.GotoAsync(new Uri(host.Server.BaseAddress, "/device").ToString());
        await page.FillAsync("#user-code", "BBBB-BBBB");
        await page.ClickAsync("#code-continue");
        await Assertions.Expect(page.Locator("#device-error")).ToBeVisibleAsync();
        await ShootAsync(page, shots, "wrong-code");

        await page.FillAsync("#user-code", tv.UserCode);
        await page.ClickAsync("#code-continue");
        await page.FillAsync("#phone", "0" + OidcTestHost.Phone[3..]);
        await page.ClickAsync("#device-ask-phone");
        await Assertions.Expect(page.Locator("#device-asked")).ToContainTextAsync(tv.UserCode);
        await ShootAsync(page, shots, "asked");
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "waid.session");

        var question = await ChannelTestKit.InboxWhenAsync(host.Server, OidcTestHost.Phone, m => m.Any(x => x.Text.Contains(tv.UserCode)));
        Assert.Contains(DeviceClient.DisplayName, question.Single(x => x.Text.Contains(tv.UserCode)).Text);
        using (var phone = host.Server.CreateClient())
            (await phone.PostAsJsonAsync("/dev/inbox/api/inbound", new { from = OidcTestHost.Phone, text = (language == "id" ? "Ya " : "Yes ") + tv.UserCode })).EnsureSuccessStatusCode();

        var (status, tokens) = await tv.PollUntilAnsweredAsync(ChannelTestKit.Patience);
        Assert.Equal(200, status);
        Assert.Equal(host.UserId, new JsonWebToken(tokens.GetProperty("id_token").GetString()).Subject);
    }

    /// <summary>Desktop (1280x800) and phone (390x844) of the same step.</summary>
    private static async Task ShootAsync(IPage page, Screenshots shots, string step)
    {
        await shots.TakeAsync(step + "-desktop");
        await page.SetViewportSizeAsync(390, 844);
        await shots.TakeAsync(step + "-phone");
        await page.SetViewportSizeAsync(1280, 800);
    }
}
