using Microsoft.Playwright;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.JsonWebTokens;
using WaIdentity.IdP.Persistence;
using WaIdentity.IdP.Users;
using WaIdentity.Tests.Infrastructure;

namespace WaIdentity.Tests.Login;

/// <summary>A relying party's authorize request through "Create an account" to tokens for the new account.</summary>
public sealed class PasswordRegistrationBrowserTests(LoginBrowser browser) : BrowserTests(browser)
{
    [Fact]
    public async Task A_visitor_creates_an_account_during_an_authorize_request_and_the_app_gets_tokens_for_it()
    {
        await using var app = await RelyingPartyOtpLoginTests.CallbackApp.StartAsync();
        var callback = app.CallbackUrl;
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, WhatsAppOtpBrowserTests.Settings(RelyingPartyOtpLoginTests.ClientSettings(callback)));
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var page = await browser.NewPageAsync();

        await page.GotoAsync(new Uri(server.BaseAddress, RelyingPartyOtpLoginTests.AuthorizePath(callback, challenge, "+62 812 0000 0000")).ToString());
        await page.ClickAsync("#password-login");
        await page.ClickAsync("#register-link");
        Assert.Equal("/login/register", new Uri(page.Url).AbsolutePath);
        Assert.Contains("Toko Contoh", await page.InnerTextAsync("main"));

        // First a password that is too short: the error sits under the password field and nothing is lost.
        await page.FillAsync("#name", "Dewi Anggraini");
        await page.FillAsync("#email", "dewi@example.com");
        await page.FillAsync("#password", "short");
        await page.ClickAsync("#register");
        Assert.Equal("The password is too short: use at least 8 characters.", await page.InnerTextAsync("#password-error"));
        Assert.Equal("dewi@example.com", await page.InputValueAsync("#email"));

        await page.FillAsync("#password", "a long enough secret");
        await page.ClickAsync("#register");
        await page.ArrivedAsync(callback);

        await Assertions.Expect(page.Locator("body")).ToHaveTextAsync("back at the app");
        var query = QueryHelpers.ParseQuery(new Uri(page.Url).Query);
        Assert.Equal("s1", query["state"]);
        var tokens = await RelyingPartyOtpLoginTests.RedeemAsync(server, query["code"]!, verifier, callback);
        var idToken = new JsonWebToken(tokens.GetProperty("id_token").GetString());
        var user = await server.InScopeAsync(sp => sp.GetRequiredService<UserManager<IdpUser>>().FindByEmailAsync("dewi@example.com"));
        Assert.NotNull(user);
        Assert.Equal(user.Id, idToken.Subject);
        Assert.Equal(["pwd"], idToken.Claims.Where(c => c.Type == "amr").Select(c => c.Value));
        Assert.Equal("urn:waidentity:loa:1", idToken.GetClaim("acr").Value);
        Assert.Equal("n1", idToken.GetClaim("nonce").Value);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
