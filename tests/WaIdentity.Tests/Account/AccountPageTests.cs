using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using WaIdentity.IdP.Login.SecondFactor;
using WaIdentity.IdP.Persistence;
using WaIdentity.IdP.Oidc.Consent;
using WaIdentity.IdP.Sessions;
using WaIdentity.IdP.Users;
using WaIdentity.Tests.Channel;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.Tests.Login;
using WaIdentity.Tests.Oidc;

namespace WaIdentity.Tests.Account;

/// <summary>The account pages over real HTTP, on SQLite and PostgreSQL: sessions, connected apps, re-authentication, admin reset.</summary>
public sealed partial class AccountPageTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Signing_out_another_session_ends_it_and_leaves_this_one(DatabaseProvider provider)
    {
        await using var host = await OidcTestHost.StartAsync(provider);
        using var laptop = host.Server.CreateClient(await SignedInSession.SignInAsync(host.Server, host.UserId, AuthenticationLevels.OneFactor));
        using var phone = host.Server.CreateClient(await SignedInSession.SignInAsync(host.Server, host.UserId, AuthenticationLevels.OneFactor));
        Assert.Equal(HttpStatusCode.OK, (await phone.GetAsync("/account")).StatusCode);

        var html = await laptop.GetStringAsync("/account");
        var other = Assert.Single(HandleField().Matches(html)).Groups[1].Value;
        var response = await LoginForms.PostWithTokenAsync(laptop, "/account?handler=EndSession", AntiforgeryToken.In(html), ("handle", other));

        Assert.Contains("That session has been signed out.", await response.Content.ReadAsStringAsync());
        Assert.StartsWith("/login", (await phone.GetAsync("/account")).Headers.Location!.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, (await laptop.GetAsync("/account")).StatusCode);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Revoking_a_connected_app_forgets_the_consent_and_its_refresh_tokens_stop_working(DatabaseProvider provider)
    {
        await using var host = await OidcTestHost.StartAsync(provider);
        var secret = await host.CreateClientAsync("diary", firstParty: false);
        await host.Server.InScopeAsync(async sp =>
        {
            await sp.GetRequiredService<ConsentStore>().GrantAsync(host.UserId, "diary", ["openid", "profile", "email", "phone", "offline_access"], default);
            return 0;
        });
        var browser = host.Browser();
        var (code, verifier) = await host.CodeAsync("diary", browser);
        var (status, tokens, _) = await host.TokenAsync(host.CodeForm(code, verifier), "diary", secret);
        Assert.Equal(200, status);
        var refresh = tokens.GetProperty("refresh_token").GetString()!;

        var html = await browser.GetStringAsync("/account");
        Assert.Contains("data-client=\"diary\"", html);
        await LoginForms.PostWithTokenAsync(browser, "/account?handler=Revoke", AntiforgeryToken.In(html), ("clientId", "diary"));

        Assert.DoesNotContain("data-client=\"diary\"", await browser.GetStringAsync("/account"));
        var (refreshStatus, error, _) = await host.TokenAsync(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = refresh }, "diary", secret);
        Assert.Equal(400, refreshStatus);
        Assert.Equal("invalid_grant", error.GetProperty("error").GetString());
        var again = await host.FollowAsync(browser, OidcTestHost.AuthorizeUrl("diary", challenge: OidcTestHost.NewPkce().Challenge));
        Assert.Null(again.Callback);
        Assert.Contains("/connect/consent", string.Join(" ", again.Visited));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Second_factor_and_phone_pages_need_a_fresh_reauthentication(DatabaseProvider provider)
    {
        await using var host = await OidcTestHost.StartAsync(provider, WhatsAppOtpBrowserTests.Settings());
        using var fresh = host.Server.CreateClient(await SignedInSession.SignInAsync(host.Server, host.UserId, AuthenticationLevels.OneFactor));
        Assert.Equal(HttpStatusCode.OK, (await fresh.GetAsync("/account/security")).StatusCode);

        using var old = host.Server.CreateClient(await SessionFromLongAgoAsync(host));
        foreach (var path in new[] { "/account/security", "/account/phone" })
            Assert.StartsWith("/account/reauth", (await old.GetAsync(path)).Headers.Location!.OriginalString);

        // The user's verified phone gets a WhatsApp code; entering it opens the pages for a few minutes.
        var page = await old.GetStringAsync("/account/reauth?returnUrl=%2Faccount%2Fphone");
        var token = AntiforgeryToken.In(page);
        await LoginForms.PostWithTokenAsync(old, "/account/reauth?handler=SendOtp", token, ("ReturnUrl", "/account/phone"));
        var items = await ChannelTestKit.InboxWhenAsync(host.Server, OidcTestHost.Phone, m => m.Any(i => i.Code is not null));
        var wrong = await LoginForms.PostWithTokenAsync(old, "/account/reauth?handler=Otp", token, ("ReturnUrl", "/account/phone"), ("Code", "000000"));
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.StartsWith("/account/reauth", (await old.GetAsync("/account/phone")).Headers.Location!.OriginalString);
        var right = await LoginForms.PostWithTokenAsync(old, "/account/reauth?handler=Otp", token, ("ReturnUrl", "/account/phone"),
            ("Code", items.First(i => i.Code is not null).Code!));
        Assert.Equal("/account/phone", right.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await old.GetAsync("/account/phone")).StatusCode);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_authenticator_is_enabled_its_recovery_codes_regenerated_and_it_is_turned_off_each_with_a_WhatsApp_notice(DatabaseProvider provider)
    {
        await using var host = await OidcTestHost.StartAsync(provider, WhatsAppOtpBrowserTests.Settings());
        using var browser = host.Server.CreateClient(await SignedInSession.SignInAsync(host.Server, host.UserId, AuthenticationLevels.OneFactor));

        var page = await browser.GetStringAsync("/account/security");
        var key = Mfa.TestTotp.Decode(ManualKey().Match(page).Groups[1].Value);
        var enabled = await (await LoginForms.PostWithTokenAsync(browser, "/account/security?handler=Enable", AntiforgeryToken.In(page),
            ("Code", Mfa.TestTotp.CodeAt(key, host.Server.Clock.GetUtcNow())))).Content.ReadAsStringAsync();
        var first = RecoveryCodeItem().Matches(enabled).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(10, first.Count);
        Assert.Contains("Authenticator app: on", await browser.GetStringAsync("/account"));

        page = await browser.GetStringAsync("/account/security");
        Assert.Contains("Recovery codes left: 10", page);
        var regenerated = await (await LoginForms.PostWithTokenAsync(browser, "/account/security?handler=Regenerate", AntiforgeryToken.In(page))).Content.ReadAsStringAsync();
        var second = RecoveryCodeItem().Matches(regenerated).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(10, second.Count);
        Assert.Empty(first.Intersect(second));
        Assert.False(await host.Server.InScopeAsync(sp => sp.GetRequiredService<RecoveryCodeStore>().UseAsync(host.UserId, first[0], default)));

        page = await browser.GetStringAsync("/account/security");
        await LoginForms.PostWithTokenAsync(browser, "/account/security?handler=Disable", AntiforgeryToken.In(page));
        Assert.Contains("Authenticator app: off", await browser.GetStringAsync("/account"));
        Assert.False(await host.Server.InScopeAsync(sp => sp.GetRequiredService<RecoveryCodeStore>().UseAsync(host.UserId, second[0], default)));

        var inbox = await ChannelTestKit.InboxWhenAsync(host.Server, OidcTestHost.Phone, m => m.Count(i => i.Text.StartsWith("WaIdentity:")) >= 3);
        Assert.Contains(inbox, i => i.Text.Contains("was turned on"));
        Assert.Contains(inbox, i => i.Text.Contains("new recovery codes"));
        Assert.Contains(inbox, i => i.Text.Contains("was turned off"));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_admin_resets_a_users_second_factor_and_it_is_audited(DatabaseProvider provider)
    {
        await using var host = await OidcTestHost.StartAsync(provider);
        var admin = await SignedInSession.CreateUserAsync(host.Server, "admin@example.com", Roles.Admin);
        await host.Server.InScopeAsync(async sp =>
        {
            var secret = await sp.GetRequiredService<TotpStore>().PendingSecretAsync(host.UserId, default);
            Assert.True(await sp.GetRequiredService<TotpStore>().EnableAsync(host.UserId, Mfa.TestTotp.CodeAt(Mfa.TestTotp.Decode(secret), host.Server.Clock.GetUtcNow()), default));
            return await sp.GetRequiredService<RecoveryCodeStore>().RegenerateAsync(host.UserId, default);
        });
        using var portal = host.Server.CreateClient(await SignedInSession.SignInAsync(host.Server, admin.Id, AuthenticationLevels.TwoFactors));

        var page = await portal.GetStringAsync($"/admin/users/{host.UserId}");
        var response = await LoginForms.PostWithTokenAsync(portal, $"/admin/users/{host.UserId}?handler=ResetSecondFactor", AntiforgeryToken.In(page));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        Assert.False(await host.Server.InScopeAsync(sp => sp.GetRequiredService<TotpStore>().IsEnabledAsync(host.UserId, default)));
        Assert.Equal(0, await host.Server.InScopeAsync(sp => sp.GetRequiredService<RecoveryCodeStore>().RemainingAsync(host.UserId, default)));
        Assert.Contains("user.reset-2fa", await portal.GetStringAsync("/admin/audit"));
    }

    /// <summary>A session (and its cookie) whose login was two hours ago: older than the re-authentication window.</summary>
    private static async Task<CookieContainer> SessionFromLongAgoAsync(OidcTestHost host)
    {
        var setCookie = await host.Server.InScopeAsync(async sp =>
        {
            var now = DateTimeOffset.UtcNow;
            var session = new UserSession
            {
                Id = Guid.NewGuid().ToString("N"), UserId = host.UserId, Amr = "pwd", Acr = AuthenticationLevels.OneFactor,
                AuthTime = now.AddHours(-2), LastSeenAt = now, ExpiresAt = now.AddDays(1),
            };
            var db = sp.GetRequiredService<IdpDbContext>();
            db.UserSessions.Add(session);
            await db.SaveChangesAsync();
            var http = new DefaultHttpContext { RequestServices = sp };
            http.Request.Scheme = host.Server.BaseAddress.Scheme;
            http.Request.Host = new HostString(host.Server.BaseAddress.Authority);
            await http.SignInAsync(SessionClaims.Scheme, SessionSignIn.ToPrincipal(session));
            return http.Response.Headers.SetCookie.ToArray();
        });
        var jar = new CookieContainer();
        foreach (var header in setCookie) jar.SetCookies(host.Server.BaseAddress, header!);
        return jar;
    }

    [GeneratedRegex("<code id=\"manual-key\">([A-Z2-7]+)</code>")]
    private static partial Regex ManualKey();

    [GeneratedRegex("<li><code>([A-Z2-7-]{19})</code></li>")]
    private static partial Regex RecoveryCodeItem();

    [GeneratedRegex("name=\"handle\" value=\"([^\"]+)\"")]
    private static partial Regex HandleField();
}
