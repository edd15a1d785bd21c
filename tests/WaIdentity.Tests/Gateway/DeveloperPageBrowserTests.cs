using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using WaIdentity.IdP.Gateway;
using WaIdentity.IdP.Persistence;
using WaIdentity.IdP.Sessions;
using WaIdentity.Tests.Admin;
using WaIdentity.Tests.Channel;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.Tests.Login;

namespace WaIdentity.Tests.Gateway;

/// <summary>
/// Self-service onboarding in Chromium: a signed-in user registers an app on /developer, copies its secret, sets its
/// webhook, makes an API key, and the app then sends with the key and with a client_credentials token, receives a
/// signed webhook, and its owner sees both on the page. And the admin's side: approval, quotas, key revocation.
/// </summary>
public sealed class DeveloperPageBrowserTests(LoginBrowser browser) : BrowserTests(browser)
{
    private static readonly PageWaitForSelectorOptions Patience = new() { Timeout = 90_000 };

    private async Task<IPage> SignedInPageAsync(IdpTestServer server, string email, string? role = null, string locale = "en-US")
    {
        var user = await SignedInSession.CreateUserAsync(server, email, role);
        var cookies = await SignedInSession.SignInAsync(server, user.Id, role is null ? AuthenticationLevels.OneFactor : AuthenticationLevels.TwoFactors);
        var page = await browser.NewPageAsync(locale);
        await page.Context.AddCookiesAsync(cookies.GetCookies(server.BaseAddress)
            .Select(c => new Cookie { Name = c.Name, Value = c.Value, Url = server.BaseAddress.ToString() }));
        return page;
    }

    private async Task<IPage> AdminPageAsync(IdpTestServer server, string locale = "en-US")
    {
        using var portal = await AdminPortal.SignInAsync(server);
        var page = await browser.NewPageAsync(locale);
        await page.Context.AddCookiesAsync(portal.Cookies.GetCookies(server.BaseAddress)
            .Select(c => new Cookie { Name = c.Name, Value = c.Value, Url = server.BaseAddress.ToString() }));
        return page;
    }

    private static string Url(IdpTestServer server, string path) => new Uri(server.BaseAddress, path).ToString();

    /// <summary>Registers an app on the developer page; returns its client id and secret, the page on the app's settings.</summary>
    private static async Task<(string ClientId, string Secret)> RegisterAsync(IPage page, IdpTestServer server, string name)
    {
        await page.GotoAsync(Url(server, "/developer"));
        await page.FillAsync("#Name", name);
        await page.ClickAsync("#register-app");
        var secret = await (await page.WaitForSelectorAsync("#client-secret", Patience))!.InnerTextAsync();
        var clientId = await page.InnerTextAsync("#client-id");
        return (clientId, secret);
    }

    private static async Task<string> CreateKeyAsync(IPage page, string name)
    {
        await page.FillAsync("#KeyName", name);
        await page.ClickAsync("#create-key");
        return await (await page.WaitForSelectorAsync("#api-key", Patience))!.InnerTextAsync();
    }

    [Fact]
    public async Task A_user_registers_an_app_and_it_sends_with_an_api_key_and_a_token_and_receives_its_webhook()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var host = await GatewayTestHost.StartAsync(DatabaseProvider.Sqlite);
        var server = host.Oidc.Server;
        var page = await SignedInPageAsync(server, "dev@example.com");

        var (clientId, secret) = await RegisterAsync(page, server, "Warung Ana");
        Assert.StartsWith("app-", clientId);
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await page.ClickAsync("#copy-client-secret");
        await page.WaitForSelectorAsync("#client-secret-copied:has-text('Copied')", Patience);
        Assert.Equal(secret, await page.EvaluateAsync<string>("navigator.clipboard.readText()"));

        await page.ClickAsync("#open-app");
        await page.WaitForSelectorAsync("#webhook", Patience);
        // The secret was shown once: the app's page never shows it again.
        Assert.DoesNotContain(secret, await page.ContentAsync());
        await page.FillAsync("#WebhookUrl", receiver.Origin + "/hooks/whatsapp");
        await page.ClickAsync("#save-webhook");
        var webhookSecret = await (await page.WaitForSelectorAsync("#webhook-secret", Patience))!.InnerTextAsync();
        Assert.StartsWith("whsec_", webhookSecret);

        var key = await CreateKeyAsync(page, "shop server");
        Assert.StartsWith("wak_", key);
        Assert.Contains("shop server", await page.InnerTextAsync("#key-list"));

        // Messages people send to the business number reach a self-registered app once an admin approved it.
        var admin = await AdminPageAsync(server);
        await admin.GotoAsync(Url(server, $"/admin/apps/{clientId}"));
        await admin.ClickAsync("#approve");
        await admin.WaitForSelectorAsync("#app-state:has-text('Approved')", Patience);

        var phone = ChannelTestKit.NewPhone();
        await host.SendInboundAsync(phone, "Is the shop open today?");
        using var withKey = host.Api(key);
        var byKey = await GatewayTestHost.ReadAsync(await withKey.PostAsJsonAsync("/api/v1/messages", new { to = phone, text = "Sent with the API key" }));
        Assert.Equal(202, byKey.Status);
        using var withToken = host.Api(await host.TokenAsync(clientId, secret, "wa.send"));
        var byToken = await GatewayTestHost.ReadAsync(await withToken.PostAsJsonAsync("/api/v1/messages", new { to = phone, text = "Sent with a token" }));
        Assert.Equal(202, byToken.Status);
        await ChannelTestKit.InboxWhenAsync(server, phone, m => m.Count == 2);

        var received = (await Eventually.ValueAsync(() => Task.FromResult(receiver.Requests.ToList()), r => r.Count > 0, ChannelTestKit.Patience)).First();
        Assert.Equal("/hooks/whatsapp", received.Path);
        Assert.True(CallbackSigner.Verify(webhookSecret, received.Headers[CallbackSigner.TimestampHeader], received.Headers[CallbackSigner.SignatureHeader], received.Body, DateTimeOffset.UtcNow));
        Assert.Equal("Is the shop open today?", JsonDocument.Parse(received.Body).RootElement.GetProperty("text").GetString());

        // The owner sees both messages delivered and the webhook delivery, and can send it again.
        var ids = new[] { byKey.Body.GetProperty("id").GetString(), byToken.Body.GetProperty("id").GetString() };
        await Eventually.ValueAsync(async () =>
        {
            await page.GotoAsync(Url(server, $"/developer/apps/{clientId}"));
            var states = await page.Locator("#message-list .message-state").AllInnerTextsAsync();
            return await page.Locator("#delivery-list .delivery-state:has-text('delivered')").CountAsync() == 1
                && states.Count(s => s.StartsWith("delivered") || s.StartsWith("read")) == 2;
        }, done => done, ChannelTestKit.Patience);
        foreach (var id in ids) Assert.Equal(1, await page.Locator($"#message-{id}").CountAsync());
        Assert.Contains("2 of 1000", await page.InnerTextAsync("#usage-messages"));
        await page.ClickAsync("#delivery-list button.replay");
        await page.WaitForSelectorAsync("#notice", Patience);
        await Eventually.ValueAsync(() => Task.FromResult(receiver.Requests.Count), n => n == 2, ChannelTestKit.Patience);
        Assert.Equal(2, receiver.Requests.Count);
    }

    [Fact]
    public async Task While_approval_is_required_an_app_waits_for_the_admin_who_approves_it_sets_its_quota_and_revokes_its_key()
    {
        await using var host = await GatewayTestHost.StartAsync(DatabaseProvider.Sqlite);
        var server = host.Oidc.Server;
        var admin = await AdminPageAsync(server);
        await admin.GotoAsync(Url(server, "/admin/apps"));
        await admin.CheckAsync("#f-Gateway-SelfService-RequireApproval");
        await admin.ClickAsync("#save");
        await admin.WaitForSelectorAsync(".notice", Patience);

        var page = await SignedInPageAsync(server, "dev@example.com");
        var (clientId, secret) = await RegisterAsync(page, server, "Toko Budi");
        await page.ClickAsync("#open-app");
        await page.WaitForSelectorAsync("#awaiting-approval", Patience);
        var key = await CreateKeyAsync(page, "server");

        var phone = ChannelTestKit.NewPhone();
        await host.SendInboundAsync(phone, "Halo");
        using var withKey = host.Api(key);
        var held = await GatewayTestHost.ReadAsync(await withKey.PostAsJsonAsync("/api/v1/messages", new { to = phone, text = "Too early" }));
        GatewayTestHost.AssertProblem(held.Response, held.Body, 403, "app-not-approved");
        using var withToken = host.Api(await host.TokenAsync(clientId, secret, "wa.send"));
        var heldToken = await GatewayTestHost.ReadAsync(await withToken.PostAsJsonAsync("/api/v1/messages", new { to = phone, text = "Too early" }));
        GatewayTestHost.AssertProblem(heldToken.Response, heldToken.Body, 403, "app-not-approved");

        await admin.GotoAsync(Url(server, "/admin/apps"));
        Assert.Contains("Awaiting approval", await admin.InnerTextAsync($"#app-{clientId}"));
        await admin.ClickAsync($"#app-{clientId} a[href='/admin/apps/{clientId}']");
        await admin.ClickAsync("#approve");
        await admin.WaitForSelectorAsync("#app-state:has-text('Approved')", Patience);
        await admin.FillAsync("#MessageQuota", "1");
        await admin.ClickAsync("#save-quotas");
        await admin.WaitForSelectorAsync(".notice", Patience);

        Assert.Equal(202, (int)(await withKey.PostAsJsonAsync("/api/v1/messages", new { to = phone, text = "Approved" })).StatusCode);
        var overQuota = await GatewayTestHost.ReadAsync(await withKey.PostAsJsonAsync("/api/v1/messages", new { to = phone, text = "One too many" }));
        GatewayTestHost.AssertProblem(overQuota.Response, overQuota.Body, 429, "rate-limited");
        await page.ReloadAsync();
        Assert.Equal(0, await page.Locator("#awaiting-approval").CountAsync());
        Assert.Contains("1 of 1", await page.InnerTextAsync("#usage-messages"));

        await admin.ReloadAsync();
        await admin.ClickAsync("#keys button.revoke-key");
        await admin.ClickAsync("#confirm-yes");
        await admin.WaitForSelectorAsync("#keys .key-state", Patience);
        var revoked = await GatewayTestHost.ReadAsync(await withKey.PostAsJsonAsync("/api/v1/messages", new { to = phone, text = "Revoked" }));
        GatewayTestHost.AssertProblem(revoked.Response, revoked.Body, 401, "invalid-token");
    }

    public static TheoryData<string, int, int> Views => new()
    {
        { "en-US", 1280, 800 }, { "en-US", 390, 844 }, { "id-ID", 1280, 800 }, { "id-ID", 390, 844 },
    };

    /// <summary>Every page added for onboarding, filled in, in both languages on a desktop and a phone: labels, contrast,
    /// visible focus, no sideways scrolling; the screenshots are saved for a person to look at.</summary>
    [Theory, MemberData(nameof(Views))]
    public async Task The_developer_and_app_pages_are_accessible_and_fit_a_phone(string locale, int width, int height)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var host = await GatewayTestHost.StartAsync(DatabaseProvider.Sqlite, ("Gateway:SelfService:RequireApproval", "true"));
        var server = host.Oidc.Server;
        var page = await SignedInPageAsync(server, "dev@example.com", locale: locale);
        await page.SetViewportSizeAsync(width, height);
        var shots = new Screenshots(page, $"developer-{locale[..2]}-{width}");
        await page.GotoAsync(Url(server, "/developer"));
        await shots.TakeAsync("empty");
        var (clientId, _) = await RegisterAsync(page, server, "Warung Ana");
        await shots.TakeAsync("registered");
        await page.ClickAsync("#open-app");
        await page.FillAsync("#WebhookUrl", receiver.Origin + "/hooks/whatsapp");
        await page.ClickAsync("#save-webhook");
        await page.WaitForSelectorAsync("#webhook-secret", Patience);
        await shots.TakeAsync("webhook-saved");
        var key = await CreateKeyAsync(page, "shop server");
        await shots.TakeAsync("key-created");
        await PageChecks.AssertAccessibleAsync(page);
        Assert.True(await page.EvaluateAsync<int>("document.documentElement.scrollWidth") <= width, "the app page scrolls sideways");

        var admin = await AdminPageAsync(server, locale);
        await admin.SetViewportSizeAsync(width, height);
        var adminShots = new Screenshots(admin, $"admin-apps-{locale[..2]}-{width}");
        await admin.GotoAsync(Url(server, "/admin/apps"));
        await adminShots.TakeAsync("list");
        await PageChecks.AssertAccessibleAsync(admin);
        await admin.GotoAsync(Url(server, $"/admin/apps/{clientId}"));
        await adminShots.TakeAsync("detail");
        await PageChecks.AssertAccessibleAsync(admin);
        Assert.True(await admin.EvaluateAsync<int>("document.documentElement.scrollWidth") <= width, "the admin app page scrolls sideways");
        await admin.ClickAsync("#approve");
        await admin.WaitForSelectorAsync("#app-state", Patience);

        var phone = ChannelTestKit.NewPhone();
        await host.SendInboundAsync(phone, "Halo");
        using var api = host.Api(key);
        Assert.Equal(202, (int)(await api.PostAsJsonAsync("/api/v1/messages", new { to = phone, text = "Pesanan Anda sudah dikirim" })).StatusCode);
        await Eventually.ValueAsync(() => Task.FromResult(receiver.Requests.Count), n => n > 0, ChannelTestKit.Patience);
        await page.GotoAsync(Url(server, $"/developer/apps/{clientId}"));
        await shots.TakeAsync("approved-with-delivery");
        await PageChecks.AssertAccessibleAsync(page);
    }
}
