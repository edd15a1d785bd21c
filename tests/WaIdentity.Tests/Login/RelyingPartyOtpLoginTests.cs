using Microsoft.Playwright;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.JsonWebTokens;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Infrastructure;

namespace WaIdentity.Tests.Login;

/// <summary>A relying party's authorize request (PKCE) through the WhatsApp OTP login to its tokens.</summary>
public sealed class RelyingPartyOtpLoginTests(LoginBrowser browser) : BrowserTests(browser)
{

    [Fact]
    public async Task An_authorize_request_ends_in_tokens_that_say_the_phone_was_proven_by_a_WhatsApp_code()
    {
        await using var app = await CallbackApp.StartAsync();
        var callback = app.CallbackUrl;
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, WhatsAppOtpBrowserTests.Settings(ClientSettings(callback)));
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var page = await browser.NewPageAsync();

        await page.GotoAsync(new Uri(server.BaseAddress, AuthorizePath(callback, challenge, "+62 999 1234 5678")).ToString());
        Assert.Contains("Toko Contoh", await page.InnerTextAsync("main"));
        Assert.Equal("+62 999 1234 5678", await page.InputValueAsync("#phone"));
        await page.ClickAsync("#send-code");
        await page.FillAsync("#code", WhatsAppOtpBrowserTests.TestCode);
        await page.ClickAsync("#verify");
        await page.ArrivedAsync(callback);

        await Assertions.Expect(page.Locator("body")).ToHaveTextAsync("back at the app");
        var query = QueryHelpers.ParseQuery(new Uri(page.Url).Query);
        Assert.Equal("s1", query["state"]);
        var tokens = await RedeemAsync(server, query["code"]!, verifier, callback);
        var idToken = new JsonWebToken(tokens.GetProperty("id_token").GetString());
        Assert.Equal("urn:waidentity:loa:1", idToken.GetClaim("acr").Value);
        Assert.Equal(["otp", "wa"], idToken.Claims.Where(c => c.Type == "amr").Select(c => c.Value).Order());
        Assert.Equal("n1", idToken.GetClaim("nonce").Value);

        var userInfo = await UserInfoAsync(server, tokens.GetProperty("access_token").GetString()!);
        Assert.Equal("+6299912345678", userInfo.GetProperty("phone_number").GetString());
        Assert.True(userInfo.GetProperty("phone_number_verified").GetBoolean());
        Assert.Equal(idToken.Subject, userInfo.GetProperty("sub").GetString());
    }

    [Fact]
    public async Task An_Indonesian_user_whose_WhatsApp_fails_and_who_mistypes_the_code_still_ends_in_tokens()
    {
        await using var app = await CallbackApp.StartAsync();
        var callback = app.CallbackUrl;
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, WhatsAppOtpBrowserTests.Settings(ClientSettings(callback)));
        await Channel.ChannelTestKit.FailNextAsync(server, "whatsapp", 1, "undeliverable");
        var phone = Channel.ChannelTestKit.NewPhone();
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var page = await browser.NewPageAsync("id-ID");

        await page.GotoAsync(new Uri(server.BaseAddress, AuthorizePath(callback, challenge, phone)).ToString());
        Assert.Equal("Kirim kode", await page.InnerTextAsync("#send-code"));
        await page.ClickAsync("#send-code");
        // The page says, in Indonesian, that WhatsApp failed and the code came by SMS instead.
        await page.WaitForFunctionAsync("() => document.getElementById('delivery-status').textContent === 'WhatsApp gagal, dikirim lewat SMS.'", null);
        var code = await WhatsAppOtpBrowserTests.CodeFromInboxAsync(server, phone, "sms");
        await WhatsAppOtpBrowserTests.EnterCodeAsync(page, code == "000000" ? "111111" : "000000");
        Assert.Equal("Kode salah. Sisa 4 percobaan.", await page.InnerTextAsync("#code-error"));
        await page.FillAsync("#code", code);
        await page.ClickAsync("#verify");
        await page.ArrivedAsync(callback);

        var query = QueryHelpers.ParseQuery(new Uri(page.Url).Query);
        var tokens = await RedeemAsync(server, query["code"]!, verifier, callback);
        var idToken = new JsonWebToken(tokens.GetProperty("id_token").GetString());
        // amr tells the relying party the truth: a one-time code, delivered by SMS.
        Assert.Equal(["otp", "sms"], idToken.Claims.Where(c => c.Type == "amr").Select(c => c.Value).Order());
        var userInfo = await UserInfoAsync(server, tokens.GetProperty("access_token").GetString()!);
        Assert.Equal(phone, userInfo.GetProperty("phone_number").GetString());
    }

    public static (string Key, string? Value)[] ClientSettings(string callback) =>
    [
        ("Oidc:Clients:0:ClientId", "shop"), ("Oidc:Clients:0:DisplayName", "Toko Contoh"), ("Oidc:Clients:0:Public", "true"),
        ("Oidc:Clients:0:FirstParty", "true"), ("Oidc:Clients:0:RedirectUris:0", callback),
        ("Oidc:Clients:0:GrantTypes:0", "authorization_code"), ("Oidc:Clients:0:Scopes:0", "openid"), ("Oidc:Clients:0:Scopes:1", "phone"),
    ];

    public static string AuthorizePath(string callback, string codeChallenge, string loginHint) => "/connect/authorize?" + string.Join('&',
        "client_id=shop&response_type=code&scope=openid%20phone&state=s1&nonce=n1",
        $"redirect_uri={Uri.EscapeDataString(callback)}&code_challenge={codeChallenge}&code_challenge_method=S256",
        $"login_hint={Uri.EscapeDataString(loginHint)}");

    public static async Task<JsonElement> RedeemAsync(IdpTestServer server, string code, string verifier, string callback)
    {
        using var http = server.CreateClient();
        var response = await http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = callback,
            ["client_id"] = "shop", ["code_verifier"] = verifier,
        }));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<JsonElement> UserInfoAsync(IdpTestServer server, string accessToken)
    {
        using var http = server.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return await http.GetFromJsonAsync<JsonElement>("/connect/userinfo");
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The relying party's side: a real loopback HTTP endpoint for the redirect URI.</summary>
    public sealed class CallbackApp(WebApplication app, string callbackUrl) : IAsyncDisposable
    {
        public string CallbackUrl { get; } = callbackUrl;

        public static async Task<CallbackApp> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            app.MapGet("/callback", () => "back at the app");
            await app.StartAsync();
            var address = app.Urls.First();
            return new CallbackApp(app, address.TrimEnd('/') + "/callback");
        }

        public async ValueTask DisposeAsync() => await app.DisposeAsync();
    }
}
