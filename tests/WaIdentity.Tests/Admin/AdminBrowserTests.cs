using System.Net.Http.Json;
using Microsoft.Playwright;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Device;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.Tests.Login;
using WaIdentity.Tests.Oidc;

namespace WaIdentity.Tests.Admin;

/// <summary>Each portal page's main action done in Chromium by an admin at loa:2, and its effect where a user would see it.</summary>
public sealed partial class AdminBrowserTests(LoginBrowser browser) : BrowserTests(browser)
{
    private static readonly PageWaitForSelectorOptions Patience = new() { Timeout = 90_000 };

    /// <summary>A browser page carrying the admin's session cookie.</summary>
    private async Task<IPage> AdminPageAsync(IdpTestServer server) => (await AdminSignInAsync(server)).Page;

    /// <summary>The page and the admin behind it (whose id the audit log shows as "who").</summary>
    private async Task<(IPage Page, IdP.Users.IdpUser Admin)> AdminSignInAsync(IdpTestServer server, string locale = "en-US")
    {
        using var portal = await AdminPortal.SignInAsync(server);
        var page = await browser.NewPageAsync(locale);
        await page.Context.AddCookiesAsync(portal.Cookies.GetCookies(server.BaseAddress)
            .Select(c => new Cookie { Name = c.Name, Value = c.Value, Url = server.BaseAddress.ToString() }));
        return (page, portal.Admin);
    }

    private static string Url(IdpTestServer server, string path) => new Uri(server.BaseAddress, path).ToString();

    [Fact]
    public async Task Switching_off_phone_codes_removes_the_phone_form_from_the_login_page()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db);
        var admin = await AdminPageAsync(server);
        var visitor = await browser.NewPageAsync();
        await visitor.GotoAsync(Url(server, "/login"));
        Assert.Equal(1, await visitor.Locator("#phone-form").CountAsync());

        await admin.GotoAsync(Url(server, "/admin/login-methods"));
        await admin.UncheckAsync("#f-Login-WhatsAppOtpEnabled");
        await admin.ClickAsync("#save");
        await admin.WaitForSelectorAsync(".notice", Patience);

        Assert.False(await admin.IsCheckedAsync("#f-Login-WhatsAppOtpEnabled"));
        await visitor.GotoAsync(Url(server, "/login"));
        Assert.Equal(0, await visitor.Locator("#phone-form").CountAsync());
        Assert.Equal(1, await visitor.Locator("#password-login").CountAsync());
    }

    [Fact]
    public async Task A_client_created_in_the_browser_logs_in_through_openid_client()
    {
        await using var host = await OidcTestHost.StartAsync(DatabaseProvider.Sqlite);
        var admin = await AdminPageAsync(host.Server);

        await admin.GotoAsync(Url(host.Server, "/admin/clients"));
        await admin.ClickAsync("#new-client");
        await admin.FillAsync("#Input_ClientId", "notes");
        await admin.FillAsync("#Input_DisplayName", "Notes");
        await admin.FillAsync("#Input_RedirectUris", OidcTestHost.Callback);
        await admin.FillAsync("#Input_PostLogoutRedirectUris", "http://127.0.0.1:9/bye");
        await admin.FillAsync("#Input_Scopes", "openid profile phone offline_access");
        await admin.CheckAsync("#Input_FirstParty");
        await admin.ClickAsync("#save");
        var secret = await (await admin.WaitForSelectorAsync("#client-secret", Patience))!.InnerTextAsync();
        await admin.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await admin.ClickAsync("#copy-secret");
        await admin.WaitForSelectorAsync("#client-secret-copied:has-text('Copied')", Patience);
        Assert.Equal(secret, await admin.EvaluateAsync<string>("navigator.clipboard.readText()"));

        var r = await host.RunPasswordFlowAsync("notes", secret, "openid profile phone offline_access");
        var login = r.GetProperty("login");
        Assert.Equal(host.UserId, login.GetProperty("claims").GetProperty("sub").GetString());
    }

    [Fact]
    public async Task A_user_locked_in_the_portal_cannot_log_in_with_the_right_password()
    {
        await using var host = await OidcTestHost.StartAsync(DatabaseProvider.Sqlite);
        var admin = await AdminPageAsync(host.Server);

        await admin.GotoAsync(Url(host.Server, $"/admin/users/{host.UserId}"));
        await admin.ClickAsync("#lock");
        await admin.ClickAsync("#confirm-yes");
        await admin.WaitForSelectorAsync("#state:has-text('Locked')", Patience);

        var user = await browser.NewPageAsync();
        await user.GotoAsync(Url(host.Server, "/login/password"));
        await user.FillAsync("#Email", OidcTestHost.Email);
        await user.FillAsync("#Password", OidcTestHost.Password);
        await user.ClickAsync("button[type=submit]");
        await user.WaitForSelectorAsync("p.error", Patience);
        Assert.DoesNotContain(await user.Context.CookiesAsync(), c => c.Name == "waid.session");
    }

    [Fact]
    public async Task A_pairing_done_in_the_sandbox_shows_WORKING_on_the_open_device_page()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        // The admin starts it: a watchdog starting it first (a fresh device should run) would hide the Start button
        // before the click, as it did on a busy machine.
        await using var server = await IdpTestServer.StartAsync(db, DeviceTestKit.Settings(("Channel:Device:WatchdogIntervalSeconds", "3600")));
        var admin = await AdminPageAsync(server);

        await admin.GotoAsync(Url(server, "/admin/device"));
        await admin.ClickAsync("#device-start");
        await admin.WaitForSelectorAsync("#device-qr[src^='data:image/svg+xml']", new() { State = WaitForSelectorState.Visible });
        await admin.WaitForSelectorAsync("#scan-alert", new() { State = WaitForSelectorState.Visible });
        // The page counts down the code's real lifetime from the moment it is shown (60 s for the first code).
        Assert.True(await admin.IsVisibleAsync("#qr-known"));

        using var phone = server.CreateClient();
        var scan = await phone.PostAsJsonAsync("/dev/inbox/api/device/scan", new { phone = Channel.ChannelTestKit.NewPhone() });
        Assert.True(scan.IsSuccessStatusCode, await scan.Content.ReadAsStringAsync());

        // No reload: the page's own script shows the new state.
        await admin.WaitForSelectorAsync("#device-status:has-text('WORKING')", Patience);
        await admin.WaitForSelectorAsync("#qr-box", new() { State = WaitForSelectorState.Hidden });
        Assert.False(await admin.IsVisibleAsync("#scan-alert"));
    }

    [Fact]
    public async Task The_WhatsApp_page_says_sandbox_and_shows_the_callback_URL_and_verify_token_for_Meta()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, Channel.ChannelTestKit.Settings(("Channel:PublicBaseUrl", "https://id.example.com")));
        var admin = await AdminPageAsync(server);
        await admin.GotoAsync(Url(server, "/admin/whatsapp"));

        Assert.Equal("sandbox", await admin.GetAttributeAsync("#channel-mode", "data-mode"));
        Assert.Contains("Sandbox", await admin.InnerTextAsync("#channel-mode"));
        Assert.Equal("https://id.example.com/channel/webhooks/whatsapp", await admin.InnerTextAsync("#webhook-url"));
        var token = await admin.InnerTextAsync("#verify-token");
        // The token shown is the one the webhook's GET handshake accepts (Meta's check of the URL).
        using var http = server.CreateClient();
        var handshake = await http.GetStringAsync($"/channel/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token={Uri.EscapeDataString(token)}&hub.challenge=4711");
        Assert.Equal("4711", handshake);
    }

    [Fact]
    public async Task The_missing_template_is_created_from_the_WhatsApp_page_and_a_test_message_arrives()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, Channel.ChannelTestKit.Settings(("Channel:Sandbox:MissingTemplateLanguages:0", "id")));
        var admin = await AdminPageAsync(server);

        await admin.GotoAsync(Url(server, "/admin/whatsapp"));
        Assert.Equal("APPROVED", await admin.InnerTextAsync("tr[data-language='en_US'] .template-status"));
        Assert.Equal("MISSING", await admin.InnerTextAsync("tr[data-language='id'] .template-status"));
        await admin.ClickAsync("#create-templates");
        await admin.WaitForSelectorAsync("tr[data-language='id'] .template-status:has-text('APPROVED')", Patience);

        var phone = Channel.ChannelTestKit.NewPhone();
        await admin.FillAsync("#test-phone", phone);
        await admin.ClickAsync("#send-test");
        await admin.WaitForSelectorAsync(".notice", Patience);
        var inbox = await Channel.ChannelTestKit.InboxWhenAsync(server, phone, m => m.Count > 0);
        Assert.Equal("whatsapp", Assert.Single(inbox).Channel);
    }
}
