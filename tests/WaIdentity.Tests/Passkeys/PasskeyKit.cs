using WaIdentity.Tests.Infrastructure;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using WaIdentity.Tests.Login;
using WaIdentity.Tests.Mfa;
using WaIdentity.Tests.Oidc;
using static Microsoft.Playwright.Assertions;

namespace WaIdentity.Tests.Passkeys;

/// <summary>
/// What the passkey browser tests share: <see cref="MfaKit"/>'s IdP and user, reached as http://localhost (WebAuthn
/// refuses an IP address as the relying party's id), and a page with Chromium's virtual authenticator (CDP WebAuthn
/// domain: CTAP2, internal transport, discoverable credentials, user verification that always succeeds).
/// </summary>
public static class PasskeyKit
{
    /// <summary>The IdP's URL for <paramref name="path"/> on localhost instead of 127.0.0.1.</summary>
    public static string Local(this MfaKit kit, string path) =>
        new UriBuilder(kit.Server.BaseAddress) { Host = "localhost" }.Uri + path.TrimStart('/');

    /// <summary>A page of its own browser context with a virtual authenticator that answers by itself.</summary>
    public static async Task<IPage> PageWithAuthenticatorAsync(LoginBrowser browser, string locale = "en-US", int width = 1280, int height = 800) =>
        (await AuthenticatorAsync(browser, locale, width, height)).Page;

    public static async Task<VirtualAuthenticator> AuthenticatorAsync(LoginBrowser browser, string locale = "en-US", int width = 1280, int height = 800)
    {
        var context = await browser.NewContextAsync(new() { Locale = locale, ViewportSize = new() { Width = width, Height = height } });
        var page = await context.NewPageAsync();
        var cdp = await context.NewCDPSessionAsync(page);
        await cdp.SendAsync("WebAuthn.enable", new Dictionary<string, object> { ["enableUI"] = false });
        var added = await cdp.SendAsync("WebAuthn.addVirtualAuthenticator", new Dictionary<string, object>
        {
            ["options"] = new Dictionary<string, object>
            {
                ["protocol"] = "ctap2", ["transport"] = "internal", ["hasResidentKey"] = true, ["hasUserVerification"] = true,
                ["isUserVerified"] = true, ["automaticPresenceSimulation"] = true,
            },
        });
        return new VirtualAuthenticator(page, cdp, added!.Value.GetProperty("authenticatorId").GetString()!);
    }

    /// <summary>Signs in with the password (a one-factor session) and lands on the account security page.</summary>
    public static async Task SignInWithPasswordToSecurityAsync(this MfaKit kit, IPage page)
    {
        await page.GotoAsync(kit.Local("/login?returnUrl=%2Faccount%2Fsecurity"));
        await MfaKit.PasswordAsync(page);
        await MfaKit.ArrivedAtAsync(page, "/account/security");
    }

    /// <summary>On the security page: names and adds a passkey, and waits until the list shows it.</summary>
    public static async Task AddPasskeyAsync(IPage page, string name)
    {
        await page.FillAsync("#passkey-name", name);
        await page.RunAndWaitForResponseAsync(() => page.ClickAsync("#add-passkey"), r => r.Request.Method == "POST" && r.Url.Contains("handler=PasskeyAdd"));
        await Expect(page.Locator("#passkey-list .passkey-name").Filter(new() { HasText = name })).ToBeVisibleAsync();
    }

    public static async Task SignOutAsync(IPage page)
    {
        await page.ClickAsync("#sign-out");
        await Expect(page.Locator("#log-in-again")).ToBeVisibleAsync();
    }

    /// <summary>Clicks "Sign in with a passkey" and waits for the page that answers the passkey's POST.</summary>
    public static async Task<IResponse> SignInWithPasskeyAsync(IPage page)
    {
        await Expect(page.Locator("#passkey-login")).ToBeVisibleAsync();
        return await page.RunAndWaitForResponseAsync(() => page.ClickAsync("#passkey-login"),
            r => r.Request.Method == "POST" && new Uri(r.Url).AbsolutePath == "/login/passkey" && !r.Url.Contains("handler="));
    }

    /// <summary>An authorize request of the "shop" client on localhost; returns the PKCE verifier.</summary>
    public static async Task<string> AuthorizeOnLocalhostAsync(this MfaKit kit, IPage page, string? acrValues = null)
    {
        var verifier = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var challenge = Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var path = RelyingPartyOtpLoginTests.AuthorizePath(kit.Callback, challenge, OidcTestHost.Email);
        if (acrValues is not null) path += "&acr_values=" + Uri.EscapeDataString(acrValues);
        await page.GotoAsync(kit.Local(path));
        return verifier;
    }

    /// <summary>The demo app's ID token claims, as its callback page shows them.</summary>
    public static async Task<JsonElement> DemoIdTokenAsync(MfaKit kit, IPage page)
    {
        await page.ArrivedAsync(kit.Local("/demo/callback"));
        await Expect(page.Locator("#id-token")).ToContainTextAsync("\"sub\"");
        return JsonDocument.Parse(await page.InnerTextAsync("#id-token")).RootElement;
    }

    public static IReadOnlyList<string> Amr(JsonElement claims) =>
        claims.GetProperty("amr").EnumerateArray().Select(a => a.GetString()!).Order().ToList();
}

/// <summary>Chromium's virtual authenticator on a page. With presence simulated it answers every request at once,
/// the password page's autofill (conditional) request included.</summary>
public sealed record VirtualAuthenticator(IPage Page, ICDPSession Cdp, string Id)
{
    public Task PresenceAsync(bool automatic) => Cdp.SendAsync("WebAuthn.setAutomaticPresenceSimulation",
        new Dictionary<string, object> { ["authenticatorId"] = Id, ["enabled"] = automatic });
}
