using Microsoft.Playwright;
using WaIdentity.Admin.Users;
using WaIdentity.Tests.Channel;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.Tests.Login;
using WaIdentity.Tests.Oidc;

namespace WaIdentity.Tests.Mfa;

/// <summary>Password + second factor through Debian's Chromium, from a relying party's authorize request to its tokens.</summary>
public sealed class MfaBrowserTests(LoginBrowser browser) : BrowserTests(browser)
{
    private const string Loa2 = "urn:waidentity:loa:2";

    [Fact]
    public async Task An_enrolled_user_signs_in_with_password_and_authenticator_code_and_a_wrong_code_is_refused()
    {
        await using var kit = await MfaKit.StartAsync();
        var authenticator = await kit.EnrolAsync(await browser.NewPageAsync());
        await ChannelTestKit.InboxWhenAsync(kit.Server, OidcTestHost.Phone, m => m.Any(i => i.Text.Contains("authenticator app was turned on")));
        var page = await browser.NewPageAsync();

        var verifier = await kit.AuthorizeAsync(page);
        await MfaKit.PasswordAsync(page);
        await MfaKit.ArrivedAtAsync(page, "/login/second-factor");
        await page.FillAsync("#totp-code", authenticator.WrongCode());
        await page.SubmitAsync("#verify-totp");
        Assert.Contains("not right", await page.InnerTextAsync("#factor-error"));
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "waid.session");
        await page.FillAsync("#totp-code", authenticator.NextCode());
        await page.SubmitAsync("#verify-totp");

        var idToken = await kit.TokenAtCallbackAsync(page, verifier);
        Assert.Equal(Loa2, idToken.GetClaim("acr").Value);
        Assert.Equal(["mfa", "otp", "pwd"], MfaKit.Amr(idToken));
        Assert.Equal(kit.Host.UserId, idToken.Subject);
    }

    [Fact]
    public async Task A_recovery_code_signs_in_once_and_is_refused_the_second_time()
    {
        await using var kit = await MfaKit.StartAsync();
        var authenticator = await kit.EnrolAsync(await browser.NewPageAsync());
        var code = authenticator.RecoveryCodes[0];

        var page = await browser.NewPageAsync();
        var verifier = await kit.AuthorizeAsync(page);
        await MfaKit.PasswordAsync(page);
        await page.ClickAsync("#use-recovery");
        await page.FillAsync("#recovery-code", code);
        await page.SubmitAsync("#verify-recovery");
        var idToken = await kit.TokenAtCallbackAsync(page, verifier);
        Assert.Equal(Loa2, idToken.GetClaim("acr").Value);
        Assert.Equal(["mfa", "pwd", "recovery"], MfaKit.Amr(idToken));

        var again = await browser.NewPageAsync();
        await kit.AuthorizeAsync(again);
        await MfaKit.PasswordAsync(again);
        await again.ClickAsync("#use-recovery");
        await again.FillAsync("#recovery-code", code);
        await again.SubmitAsync("#verify-recovery");
        Assert.Contains("already used", await again.InnerTextAsync("#factor-error"));
        Assert.DoesNotContain(await again.Context.CookiesAsync(), c => c.Name == "waid.session");
    }

    [Fact]
    public async Task A_client_that_requires_a_second_factor_gets_a_WhatsApp_code_to_the_verified_phone()
    {
        await using var kit = await MfaKit.StartAsync(("Oidc:Clients:0:RequireSecondFactor", "true"));
        var page = await browser.NewPageAsync();

        var verifier = await kit.AuthorizeAsync(page);
        await MfaKit.PasswordAsync(page);
        await MfaKit.ArrivedAtAsync(page, "/login/second-factor");
        Assert.Equal(0, await page.Locator("#totp-code").CountAsync());
        await page.SubmitAsync("#send-otp");
        var items = await ChannelTestKit.InboxWhenAsync(kit.Server, OidcTestHost.Phone, m => m.Any(i => i.Code is not null));
        await page.FillAsync("#otp-code", items.First(i => i.Code is not null).Code!);
        await page.SubmitAsync("#verify-otp");

        var idToken = await kit.TokenAtCallbackAsync(page, verifier);
        Assert.Equal(Loa2, idToken.GetClaim("acr").Value);
        Assert.Equal(["mfa", "otp", "pwd", "wa"], MfaKit.Amr(idToken));
    }

    /// <param name="prompt">With prompt=login the request asks for a new login: the password first, then the second factor.</param>
    [Theory]
    [InlineData(null)]
    [InlineData("login")]
    public async Task Acr_values_loa2_steps_up_an_existing_one_factor_session_for_the_same_user_with_a_new_sid(string? prompt)
    {
        await using var kit = await MfaKit.StartAsync(("Login:SecondFactor:Required", "Off"));
        var authenticator = await kit.EnrolAsync(await browser.NewPageAsync());
        var page = await browser.NewPageAsync();
        var verifier = await kit.AuthorizeAsync(page);
        await MfaKit.PasswordAsync(page);
        var first = await kit.TokenAtCallbackAsync(page, verifier);
        Assert.Equal("urn:waidentity:loa:1", first.GetClaim("acr").Value);

        verifier = await kit.AuthorizeAsync(page, acrValues: Loa2, prompt: prompt);
        if (prompt == "login") await MfaKit.PasswordAsync(page);
        await MfaKit.ArrivedAtAsync(page, "/login/second-factor");
        Assert.Equal(0, await page.Locator("#Password").CountAsync());
        await page.FillAsync("#totp-code", authenticator.NextCode());
        await page.SubmitAsync("#verify-totp");

        var stepped = await kit.TokenAtCallbackAsync(page, verifier);
        Assert.Equal(Loa2, stepped.GetClaim("acr").Value);
        Assert.Equal(["mfa", "otp", "pwd"], MfaKit.Amr(stepped));
        Assert.Equal(first.Subject, stepped.Subject);
        Assert.NotEqual(first.GetClaim("sid").Value, stepped.GetClaim("sid").Value);
    }

    [Fact]
    public async Task A_remembered_device_skips_the_second_step_and_the_token_says_device_not_otp_until_2FA_is_reset()
    {
        await using var kit = await MfaKit.StartAsync(("Oidc:Clients:0:RequireSecondFactor", "true"));
        var authenticator = await kit.EnrolAsync(await browser.NewPageAsync());
        var page = await browser.NewPageAsync();
        var verifier = await kit.AuthorizeAsync(page);
        await MfaKit.PasswordAsync(page);
        await page.FillAsync("#totp-code", authenticator.NextCode());
        await page.CheckAsync("#remember");
        await page.SubmitAsync("#verify-totp");
        await kit.TokenAtCallbackAsync(page, verifier);
        Assert.Contains(await page.Context.CookiesAsync(), c => c.Name == "waid.device" && c.HttpOnly);

        verifier = await kit.AuthorizeAsync(page, prompt: "login");
        await MfaKit.PasswordAsync(page);
        var idToken = await kit.TokenAtCallbackAsync(page, verifier);
        Assert.Equal(Loa2, idToken.GetClaim("acr").Value);
        Assert.Equal(["device", "pwd"], MfaKit.Amr(idToken));

        await kit.Server.InScopeAsync(async sp =>
        {
            await sp.GetRequiredService<IUserDirectory>().ResetSecondFactorAsync(kit.Host.UserId);
            return 0;
        });
        await kit.AuthorizeAsync(page, prompt: "login");
        await MfaKit.PasswordAsync(page);
        await MfaKit.ArrivedAtAsync(page, "/login/second-factor");
    }

    [Fact]
    public async Task With_the_policy_Required_a_phone_user_without_an_authenticator_enrols_one_and_continues_to_the_app()
    {
        await using var kit = await MfaKit.StartAsync(("Login:SecondFactor:Required", "Required"));
        var page = await browser.NewPageAsync();
        var verifier = await kit.AuthorizeAsync(page);
        await page.FillAsync("#phone", "+62 999 1234 5678");
        await page.ClickAsync("#send-code");
        await page.FillAsync("#code", WhatsAppOtpBrowserTests.TestCode);
        await page.SubmitAsync("#verify");

        await MfaKit.ArrivedAtAsync(page, "/account/security");
        var authenticator = new Authenticator(await page.InnerTextAsync("#manual-key"), kit.Server.Clock);
        await page.FillAsync("#enrol-code", authenticator.NextCode());
        await page.SubmitAsync("#enable-totp");
        Assert.Equal(10, await page.Locator("#recovery-codes li").CountAsync());
        await page.CheckAsync("#saved-codes");
        await page.ClickAsync("#continue");

        var idToken = await kit.TokenAtCallbackAsync(page, verifier);
        Assert.Equal(Loa2, idToken.GetClaim("acr").Value);
        Assert.Equal(["mfa", "otp", "wa"], MfaKit.Amr(idToken));
    }

    [Fact]
    public async Task The_second_step_speaks_Indonesian()
    {
        await using var kit = await MfaKit.StartAsync();
        await kit.EnrolAsync(await browser.NewPageAsync());
        var page = await browser.NewPageAsync("id-ID");
        await kit.AuthorizeAsync(page);
        await MfaKit.PasswordAsync(page);
        await MfaKit.ArrivedAtAsync(page, "/login/second-factor");
        await page.ParsedAsync();

        Assert.Equal("Langkah kedua", await page.InnerTextAsync("h1"));
        Assert.Contains("Kode dari aplikasi autentikator Anda", await page.InnerTextAsync("main"));
        Assert.Equal("Gunakan kode pemulihan", await page.InnerTextAsync("#use-recovery"));
    }
}
