using WaIdentity.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;
using WaIdentity.IdP.Oidc.Clients;
using WaIdentity.Tests.Login;
using WaIdentity.Tests.Mfa;

namespace WaIdentity.Tests.Oidc;

/// <summary>RP-initiated logout through the confirmation page in Chromium: the app gets its post-logout callback.</summary>
public sealed class LogoutBrowserTests(LoginBrowser browser) : BrowserTests(browser)
{
    [Fact]
    public async Task Confirming_a_logout_without_an_id_token_hint_returns_to_the_app_with_state()
    {
        await using var kit = await StartAsync();
        var page = await browser.NewPageAsync();
        await kit.TokenAtCallbackAsync(page, await SignInAsync(kit, page));

        await page.GotoAsync(kit.Url($"/connect/endsession?client_id=shop&post_logout_redirect_uri={Uri.EscapeDataString(kit.Callback)}&state=bye1"));
        await ConfirmAsync(kit, page, "bye1");
    }

    [Fact]
    public async Task Confirming_a_logout_whose_id_token_hint_names_an_earlier_session_returns_to_the_app_with_state()
    {
        await using var kit = await StartAsync();
        var page = await browser.NewPageAsync();
        var earlier = await kit.TokenAtCallbackAsync(page, await SignInAsync(kit, page));
        // Signing in again (as after turning on an authenticator) starts a new session with a new sid.
        await kit.TokenAtCallbackAsync(page, await SignInAsync(kit, page, prompt: "login"));

        await page.GotoAsync(kit.Url($"/connect/endsession?id_token_hint={earlier.EncodedToken}&post_logout_redirect_uri={Uri.EscapeDataString(kit.Callback)}&state=bye2"));
        await ConfirmAsync(kit, page, "bye2");
    }

    private static async Task<MfaKit> StartAsync()
    {
        var kit = await MfaKit.StartAsync();
        await kit.Server.InScopeAsync(async sp =>
        {
            var registry = sp.GetRequiredService<ClientRegistry>();
            var shop = ClientRegistry.ToDefinition((await registry.FindAsync("shop"))!);
            shop.PostLogoutRedirectUris = [kit.Callback];
            return await registry.UpdateAsync(shop);
        });
        return kit;
    }

    private static async Task<string> SignInAsync(MfaKit kit, Microsoft.Playwright.IPage page, string? prompt = null)
    {
        var verifier = await kit.AuthorizeAsync(page, prompt: prompt);
        await MfaKit.PasswordAsync(page);
        return verifier;
    }

    private static async Task ConfirmAsync(MfaKit kit, Microsoft.Playwright.IPage page, string state)
    {
        await MfaKit.ArrivedAtAsync(page, "/logout");
        await page.ClickAsync("main form button[type=submit]");
        await page.ArrivedAsync(kit.Callback);
        Assert.Equal(state, QueryHelpers.ParseQuery(new Uri(page.Url).Query)["state"].ToString());
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "waid.session");
    }
}
