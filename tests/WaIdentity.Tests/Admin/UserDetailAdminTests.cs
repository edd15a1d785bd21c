using System.Net;
using Microsoft.EntityFrameworkCore;
using WaIdentity.IdP.Login.Passkeys;
using WaIdentity.IdP.Login.SecondFactor;
using WaIdentity.IdP.Oidc.Consent;
using WaIdentity.IdP.Oidc.Grants;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.Tests.Oidc;

namespace WaIdentity.Tests.Admin;

/// <summary>The user detail page and its actions, seen from the user's side: consents, methods, lock, sessions, search.</summary>
public sealed class UserDetailAdminTests
{
    private static readonly string[] AllScopes = ["openid", "profile", "email", "phone", "offline_access"];

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_detail_shows_methods_and_apps_and_revoking_an_app_makes_it_ask_for_consent_again(DatabaseProvider provider)
    {
        await using var host = await OidcTestHost.StartAsync(provider);
        await host.CreateClientAsync("home");
        await host.CreateClientAsync("partner", firstParty: false);
        var browser = host.Browser();
        await host.CodeAsync("home", browser);
        await GrantAsync(host, "partner");
        var recoveryCodes = await EnrolSecondFactorsAsync(host);
        using var portal = await AdminPortal.SignInAsync(host.Server);
        Assert.NotNull((await SilentAsync(host, browser, "partner")).Query("code"));
        Assert.Contains("partner", await browser.GetStringAsync("/account"));

        var detail = await portal.GetAsync($"/admin/users/{host.UserId}");
        Assert.Contains("<dd id=\"method-password\">Set</dd>", detail);
        Assert.Contains("<dd id=\"method-phone\">Yes</dd>", detail);
        Assert.Contains("<dd id=\"method-second-factors\">Authenticator app, WhatsApp code</dd>", detail);
        Assert.Contains($"<dd id=\"method-recovery\">{recoveryCodes}</dd>", detail);
        Assert.Contains("<code>partner</code>", detail);
        Assert.Contains("openid profile email phone offline_access", detail);

        var revoke = await portal.PostAsync($"/admin/users/{host.UserId}?handler=RevokeConsent", ("clientId", "partner"));

        Assert.Equal(HttpStatusCode.Redirect, revoke.StatusCode);
        Assert.Equal("consent_required", (await SilentAsync(host, browser, "partner")).Query("error"));
        Assert.DoesNotContain("partner", await browser.GetStringAsync("/account"));
        var after = await portal.GetAsync($"/admin/users/{host.UserId}");
        Assert.DoesNotContain("<code>partner</code>", after);
        var audit = await portal.GetAsync("/admin/audit");
        Assert.Contains("user.revoke-consent", audit);
    }

    [Fact]
    public async Task An_admin_sees_a_users_passkeys_and_a_removed_one_is_gone_and_audited()
    {
        await using var host = await OidcTestHost.StartAsync(DatabaseProvider.Sqlite);
        var other = await SignedInSession.CreateUserAsync(host.Server, "other@example.com");
        var laptop = await AddPasskeyAsync(host, host.UserId, "Work laptop");
        var foreign = await AddPasskeyAsync(host, other.Id, "Someone else's phone");
        using var portal = await AdminPortal.SignInAsync(host.Server);

        var detail = await portal.GetAsync($"/admin/users/{host.UserId}");
        Assert.Contains(">Work laptop</td>", detail);
        Assert.Matches("<dd id=\"method-second-factors\">[^<]*Passkey</dd>", detail);
        Assert.DoesNotContain("Someone else", detail);

        // Another user's passkey cannot be removed through this user's page.
        var wrong = await portal.PostAsync($"/admin/users/{host.UserId}?handler=RemovePasskey", ("passkeyId", foreign));
        Assert.Equal(HttpStatusCode.NotFound, wrong.StatusCode);
        var removed = await portal.PostAsync($"/admin/users/{host.UserId}?handler=RemovePasskey", ("passkeyId", laptop));

        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        Assert.Contains("id=\"no-passkeys\"", await portal.GetAsync($"/admin/users/{host.UserId}"));
        var left = await host.Server.InScopeAsync(sp => sp.GetRequiredService<IdpDbContext>().Set<Passkey>().Select(p => p.Id).ToListAsync());
        Assert.Equal([foreign], left);
        Assert.Contains("user.remove-passkey", await portal.GetAsync("/admin/audit"));
    }

    private static async Task<string> AddPasskeyAsync(OidcTestHost host, string userId, string name)
    {
        var passkey = new Passkey
        {
            Id = Guid.NewGuid().ToString("N"), UserId = userId, CredentialId = Convert.ToBase64String(Guid.NewGuid().ToByteArray()),
            PublicKey = [1, 2, 3], UserHandle = Guid.NewGuid().ToString("N"), Name = name, CreatedAt = DateTimeOffset.UtcNow,
        };
        await host.Server.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<IdpDbContext>();
            db.Add(passkey);
            return await db.SaveChangesAsync();
        });
        return passkey.Id;
    }

    [Fact]
    public async Task A_user_without_password_or_second_factor_shows_none()
    {
        await using var host = await OidcTestHost.StartAsync(DatabaseProvider.Sqlite);
        var user = await SignedInSession.CreateUserAsync(host.Server, "nopass@example.com");
        using var portal = await AdminPortal.SignInAsync(host.Server);

        var detail = await portal.GetAsync($"/admin/users/{user.Id}");

        Assert.Contains("<dd id=\"method-password\">Not set</dd>", detail);
        Assert.Contains("<dd id=\"method-second-factors\">None</dd>", detail);
        Assert.Contains("<dd id=\"method-recovery\">0</dd>", detail);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Deleting_a_user_removes_their_consents_tokens_codes_and_second_factors(DatabaseProvider provider)
    {
        await using var host = await OidcTestHost.StartAsync(provider);
        var secret = (await host.CreateClientAsync("home"))!;
        await host.CreateClientAsync("partner", firstParty: false);
        var browser = host.Browser();
        var (code, verifier) = await host.CodeAsync("home", browser);
        var tokens = await host.TokenAsync(host.CodeForm(code, verifier), "home", secret);
        Assert.Equal(200, tokens.Status);
        await host.CodeAsync("home", browser); // a code never redeemed
        await GrantAsync(host, "partner");
        await EnrolSecondFactorsAsync(host);
        Assert.NotEqual(0, await RowsAsync(host, host.UserId));
        using var portal = await AdminPortal.SignInAsync(host.Server);

        var delete = await portal.PostAsync($"/admin/users/{host.UserId}/delete");

        Assert.Equal("/admin/users", delete.Headers.Location!.OriginalString);
        Assert.Equal(0, await RowsAsync(host, host.UserId));
        var refresh = await host.TokenAsync(new()
        {
            ["grant_type"] = "refresh_token", ["refresh_token"] = tokens.Body.GetProperty("refresh_token").GetString()!,
        }, "home", secret);
        Assert.Equal(400, refresh.Status);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Search_finds_a_user_by_phone_and_by_name(DatabaseProvider provider)
    {
        await using var host = await OidcTestHost.StartAsync(provider);
        await host.CreateUserAsync("budi@example.com", OidcTestHost.Password, "Budi Santoso", "+6285700000001");
        using var portal = await AdminPortal.SignInAsync(host.Server);

        var byPhone = await portal.GetAsync("/admin/users?q=" + Uri.EscapeDataString("+62812345"));
        var byName = await portal.GetAsync("/admin/users?q=SANTOSO");

        Assert.Contains(OidcTestHost.Email, byPhone);
        Assert.DoesNotContain("budi@example.com", byPhone);
        Assert.Contains("budi@example.com", byName);
        Assert.DoesNotContain(OidcTestHost.Email, byName);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Unlocking_lets_a_locked_user_log_in_again(DatabaseProvider provider)
    {
        await using var host = await OidcTestHost.StartAsync(provider);
        using var portal = await AdminPortal.SignInAsync(host.Server);
        const string login = "/login/password?returnUrl=%2Faccount";

        Assert.Equal(HttpStatusCode.Redirect, (await portal.PostAsync($"/admin/users/{host.UserId}?handler=Lock")).StatusCode);
        await Assert.ThrowsAsync<InvalidOperationException>(() => OidcTestHost.LoginAsync(host.Browser(), login, OidcTestHost.Email, OidcTestHost.Password));

        Assert.Equal(HttpStatusCode.Redirect, (await portal.PostAsync($"/admin/users/{host.UserId}?handler=Unlock")).StatusCode);
        Assert.Equal("/account", await OidcTestHost.LoginAsync(host.Browser(), login, OidcTestHost.Email, OidcTestHost.Password));
        Assert.Contains("user.unlock", await portal.GetAsync("/admin/audit"));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Signing_a_user_out_everywhere_ends_their_sessions(DatabaseProvider provider)
    {
        await using var host = await OidcTestHost.StartAsync(provider);
        using var portal = await AdminPortal.SignInAsync(host.Server);
        using var phone = host.Server.CreateClient(await SignedInSession.SignInAsync(host.Server, host.UserId, WaIdentity.IdP.Sessions.AuthenticationLevels.OneFactor));
        using var laptop = host.Server.CreateClient(await SignedInSession.SignInAsync(host.Server, host.UserId, WaIdentity.IdP.Sessions.AuthenticationLevels.OneFactor));
        Assert.Equal(HttpStatusCode.OK, (await phone.GetAsync("/account")).StatusCode);

        var revoke = await portal.PostAsync($"/admin/users/{host.UserId}?handler=RevokeSessions");

        Assert.Equal(HttpStatusCode.Redirect, revoke.StatusCode);
        foreach (var browser in new[] { phone, laptop })
        {
            var response = await browser.GetAsync("/account");
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/login", response.Headers.Location!.OriginalString.Replace(host.Server.BaseAddress.ToString(), "/"));
        }
        Assert.Contains("user.revoke-sessions", await portal.GetAsync("/admin/audit"));
    }

    private static Task<bool> GrantAsync(OidcTestHost host, string clientId) => host.Server.InScopeAsync(async sp =>
    {
        await sp.GetRequiredService<ConsentStore>().GrantAsync(host.UserId, clientId, AllScopes, default);
        return true;
    });

    /// <summary>The browser's silent authorize (prompt=none) for <paramref name="clientId"/>.</summary>
    private static Task<FlowResult> SilentAsync(OidcTestHost host, HttpClient browser, string clientId) =>
        host.FollowAsync(browser, OidcTestHost.AuthorizeUrl(clientId, new Dictionary<string, string?> { ["prompt"] = "none" },
            OidcTestHost.NewPkce().Challenge), login: false);

    /// <summary>An authenticator app and recovery codes for the host's user; returns how many codes.</summary>
    private static async Task<int> EnrolSecondFactorsAsync(OidcTestHost host)
    {
        var secret = await host.Server.InScopeAsync(sp => sp.GetRequiredService<TotpStore>().PendingSecretAsync(host.UserId, default));
        Assert.True(await host.Server.InScopeAsync(sp =>
            sp.GetRequiredService<TotpStore>().EnableAsync(host.UserId, Mfa.TestTotp.CodeAt(Mfa.TestTotp.Decode(secret), DateTimeOffset.UtcNow), default)));
        var codes = await host.Server.InScopeAsync(sp => sp.GetRequiredService<RecoveryCodeStore>().RegenerateAsync(host.UserId, default));
        return codes.Count;
    }

    /// <summary>Rows anywhere that still name the user (besides sessions, which the delete already removed before).</summary>
    private static Task<int> RowsAsync(OidcTestHost host, string userId) => host.Server.InScopeAsync(async sp =>
    {
        var db = sp.GetRequiredService<IdpDbContext>();
        return await db.Set<ConsentGrant>().CountAsync(c => c.UserId == userId)
            + await db.Set<RefreshToken>().CountAsync(t => t.UserId == userId)
            + await db.Set<AuthorizationCode>().CountAsync(c => c.UserId == userId)
            + await db.Set<TotpAuthenticator>().CountAsync(t => t.UserId == userId)
            + await db.Set<RecoveryCode>().CountAsync(c => c.UserId == userId)
            + await db.UserSessions.CountAsync(s => s.UserId == userId);
    });
}
