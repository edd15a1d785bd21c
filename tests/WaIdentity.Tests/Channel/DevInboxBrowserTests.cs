using Microsoft.EntityFrameworkCore;
using System.Net.Http.Json;
using Microsoft.Playwright;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Device;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.Tests.Login;
using static WaIdentity.Tests.Channel.ChannelTestKit;

namespace WaIdentity.Tests.Channel;

/// <summary>The dev inbox used as a developer would, in Chromium: live, per-phone conversations, refusals shown.</summary>
public sealed class DevInboxBrowserTests(LoginBrowser browser) : BrowserTests(browser)
{
    private static readonly PageWaitForSelectorOptions Patience = new() { Timeout = 90_000 };

    private static string Url(IdpTestServer server, string path) => new Uri(server.BaseAddress, path).ToString();

    [Fact]
    public async Task What_is_typed_survives_a_new_message_arriving()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, Settings());
        var page = await browser.NewPageAsync();
        await page.GotoAsync(Url(server, "/dev/inbox"));
        await page.FillAsync("#inbound-text", "half-typed reply");

        await SendAsync(server, NewPhone(), "135790");

        await page.WaitForSelectorAsync("#messages .msg:has-text('135790')", Patience);
        Assert.Equal("half-typed reply", await page.InputValueAsync("#inbound-text"));
    }

    [Fact]
    public async Task A_wrong_pairing_code_is_refused_next_to_the_form()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, DeviceTestKit.Settings());
        await DeviceTestKit.AdminAsync(server, a => a.StartAsync(CancellationToken.None));
        var page = await browser.NewPageAsync();
        await page.GotoAsync(Url(server, "/dev/inbox"));

        await page.FillAsync("#pair-code", "WRNG-CODE");
        await page.ClickAsync("#device-pair button");

        var error = await page.WaitForSelectorAsync("#device-pair .form-error", new() { State = WaitForSelectorState.Visible });
        Assert.Contains("pairing code is wrong", await error!.InnerTextAsync());
    }

    [Fact]
    public async Task A_phones_conversation_shows_what_it_received_and_sent_with_links()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, Settings());
        var phone = NewPhone();
        var other = NewPhone();
        await SendAsync(server, phone, "246810");
        await SendAsync(server, other, "999111");
        using var client = server.CreateClient();
        (await client.PostAsJsonAsync("/dev/inbox/api/inbound", new { from = phone, text = "Hello, see https://example.com/help" })).EnsureSuccessStatusCode();
        await InboxWhenAsync(server, other, m => m.Count > 0);
        var page = await browser.NewPageAsync();
        await page.GotoAsync(Url(server, "/dev/inbox"));

        await page.ClickAsync($"#phones a:has-text('{phone}')");

        await page.WaitForSelectorAsync("#messages .msg.out:has-text('246810')", Patience);
        await page.WaitForSelectorAsync("#messages .msg.in:has-text('Hello, see')", Patience);
        Assert.Equal(1, await page.Locator("#messages .msg.in a[href='https://example.com/help']").CountAsync());
        Assert.Equal(0, await page.Locator("#messages .msg:has-text('999111')").CountAsync());
        Assert.Equal(phone, await page.InputValueAsync("#inbound-from"));
    }

    [Fact]
    public async Task A_reply_button_pressed_in_the_inbox_reaches_the_app_as_the_phones_webhook()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, Settings());
        var phone = NewPhone();
        using var client = server.CreateClient();
        // An interactive message is a free message: the phone writes first (the 24-hour window).
        (await client.PostAsJsonAsync("/dev/inbox/api/inbound", new { from = phone, text = "Hi" })).EnsureSuccessStatusCode();
        await server.InScopeAsync(sp => sp.GetRequiredService<WaIdentity.WaChannel.Codes.ITextSender>().SendTextAsync(new WaIdentity.WaChannel.Codes.TextRequest(
            phone, "Keep the lights on?", "test", "en", WaIdentity.WaChannel.Codes.DeliveryPolicy.WhatsAppOnly,
            Buttons: new([new("lights:yes", "Keep them on"), new("lights:no", "Switch off")], []))));
        await InboxWhenAsync(server, phone, m => m.Any(x => x.Text == "Keep the lights on?"));
        var page = await browser.NewPageAsync();
        await page.GotoAsync(Url(server, "/dev/inbox?to=" + Uri.EscapeDataString(phone)));

        await page.GetByRole(AriaRole.Button, new() { Name = "Switch off" }).ClickAsync();

        await page.WaitForSelectorAsync("#messages .msg.in:has-text('Switch off')", Patience);
        Assert.True(await page.Locator("#press-form .form-error").IsHiddenAsync());
        // The app took the press: its inbound dedupe keeps one row per message it handled (the "Hi" and the press).
        var handled = await Eventually.ValueAsync(() => server.InScopeAsync(sp => sp.GetRequiredService<WaIdentity.WaChannel.Persistence.ChannelDbContext>()
            .Set<WaIdentity.WaChannel.Inbound.InboundMessageRecord>().CountAsync(r => r.Phone == phone)), n => n == 2, ChannelTestKit.Patience);
        Assert.Equal(2, handled);
    }
}
