using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.Playwright;
using WaIdentity.IdP.Login.SecondFactor;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.Tests.Login;
using WaIdentity.Tests.Oidc;

namespace WaIdentity.Tests.Mfa;

/// <summary>
/// What the second-factor browser tests share: an IdP with a user (email, password, verified phone) and the config
/// client "shop" whose redirect URI is a real loopback callback; driving the password and second-factor pages; and an
/// authenticator app (the product's own TOTP class, fed the manual key the enrolment page shows).
/// </summary>
public sealed class MfaKit : IAsyncDisposable
{
    private readonly RelyingPartyOtpLoginTests.CallbackApp _callback;
    public OidcTestHost Host { get; }
    public IdpTestServer Server => Host.Server;
    public string Callback => _callback.CallbackUrl;

    private MfaKit(RelyingPartyOtpLoginTests.CallbackApp callback, OidcTestHost host)
    {
        _callback = callback;
        Host = host;
    }

    public static async Task<MfaKit> StartAsync(params (string Key, string? Value)[] extra)
    {
        var callback = await RelyingPartyOtpLoginTests.CallbackApp.StartAsync();
        var settings = WhatsAppOtpBrowserTests.Settings([.. RelyingPartyOtpLoginTests.ClientSettings(callback.CallbackUrl), .. extra]);
        return new MfaKit(callback, await OidcTestHost.StartAsync(DatabaseProvider.Sqlite, settings));
    }

    public string Url(string path) => new Uri(Server.BaseAddress, path).ToString();

    /// <summary>Starts an authorize request (PKCE) for "shop"; returns the verifier for the token request.</summary>
    public async Task<string> AuthorizeAsync(IPage page, string? acrValues = null, string? prompt = null)
    {
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var path = RelyingPartyOtpLoginTests.AuthorizePath(Callback, challenge, OidcTestHost.Email);
        if (acrValues is not null) path += "&acr_values=" + Uri.EscapeDataString(acrValues);
        if (prompt is not null) path += "&prompt=" + prompt;
        await page.GotoAsync(Url(path));
        return verifier;
    }

    /// <summary>From /login: the password link, then email and password.</summary>
    public static async Task PasswordAsync(IPage page)
    {
        await page.ClickAsync("#password-login");
        await page.FillAsync("#Email", OidcTestHost.Email);
        await page.FillAsync("#Password", OidcTestHost.Password);
        // Waits for the POST's own answer (a load state can belong to the page being left; flaky under load).
        await page.SubmitAsync("main button[type=submit]");
    }

    /// <summary>Waits until the browser has moved on to <paramref name="path"/> (after a page that continues with Refresh).</summary>
    public static Task ArrivedAtAsync(IPage page, string path) =>
        page.ArrivedAsync(u => new Uri(u).AbsolutePath == path);

    /// <summary>Waits for the relying party's callback and redeems its code; returns the ID token.</summary>
    public async Task<JsonWebToken> TokenAtCallbackAsync(IPage page, string verifier)
    {
        await page.ArrivedAsync(Callback);
        var code = QueryHelpers.ParseQuery(new Uri(page.Url).Query)["code"].ToString();
        var tokens = await RelyingPartyOtpLoginTests.RedeemAsync(Server, code, verifier, Callback);
        return new JsonWebToken(tokens.GetProperty("id_token").GetString());
    }

    public static IReadOnlyList<string> Amr(JsonWebToken token) => token.Claims.Where(c => c.Type == "amr").Select(c => c.Value).Order().ToList();

    /// <summary>Signs in with the password (straight to /account) and enrols an authenticator; returns it.</summary>
    public async Task<Authenticator> EnrolAsync(IPage page)
    {
        await page.GotoAsync(Url("/login?returnUrl=%2Faccount"));
        await PasswordAsync(page);
        await ArrivedAtAsync(page, "/account");
        await page.ClickAsync("#manage-2fa");
        Assert.StartsWith("data:image/svg+xml;base64,", await page.GetAttributeAsync("#totp-qr", "src"));
        var authenticator = new Authenticator(await page.InnerTextAsync("#manual-key"), Server.Clock);
        await page.FillAsync("#enrol-code", authenticator.NextCode());
        await page.SubmitAsync("#enable-totp");
        await Assertions.Expect(page.Locator("#recovery-codes li")).ToHaveCountAsync(10);
        authenticator.RecoveryCodes = await page.Locator("#recovery-codes li").AllInnerTextsAsync();
        return authenticator;
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await _callback.DisposeAsync();
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>
/// An authenticator app: the manual key from the enrolment page and Otp.NET, on the server's clock. Never repeats a
/// step: when the current step is used up, it moves the clock on a step instead of waiting up to 30 seconds.
/// </summary>
public sealed class Authenticator(string manualKey, TestClock clock)
{
    private readonly byte[] _key = TestTotp.Decode(manualKey);
    private long _lastStep;
    public IReadOnlyList<string> RecoveryCodes { get; set; } = [];

    private long Now => TestTotp.StepAt(clock.GetUtcNow());

    public string NextCode()
    {
        // The server accepts the current step and the one before, each once.
        if (_lastStep >= Now) clock.Advance(TimeSpan.FromSeconds(AuthenticatorCode.StepSeconds));
        _lastStep = Now;
        return TestTotp.Hotp(_key, _lastStep);
    }

    public string WrongCode() => ((int.Parse(TestTotp.Hotp(_key, Now)) + 500_000) % 1_000_000).ToString("D6");
}
