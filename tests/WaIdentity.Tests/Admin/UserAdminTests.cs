using System.Net;
using System.Text.RegularExpressions;
using WaIdentity.IdP.Persistence;
using WaIdentity.IdP.Sessions;
using WaIdentity.IdP.Users;
using WaIdentity.Tests.Infrastructure;

namespace WaIdentity.Tests.Admin;

public sealed partial class UserAdminTests
{
    [Fact]
    public async Task The_portal_needs_an_admin_with_a_second_factor()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db);
        var admin = await SignedInSession.CreateUserAsync(server, "admin@example.com", Roles.Admin);
        var member = await SignedInSession.CreateUserAsync(server, "member@example.com");

        using var anonymous = server.CreateClient();
        using var oneFactorAdmin = server.CreateClient(await SignedInSession.SignInAsync(server, admin.Id, AuthenticationLevels.OneFactor));
        using var twoFactorMember = server.CreateClient(await SignedInSession.SignInAsync(server, member.Id, AuthenticationLevels.TwoFactors));
        using var twoFactorAdmin = server.CreateClient(await SignedInSession.SignInAsync(server, admin.Id, AuthenticationLevels.TwoFactors));

        Assert.StartsWith("/login", (await anonymous.GetAsync("/admin/users")).Headers.Location!.PathAndQuery);
        // An admin without the second factor is sent to prove it and brought back; a member just gets 403.
        var stepUp = await oneFactorAdmin.GetAsync("/admin/users?q=ana");
        Assert.Equal(HttpStatusCode.Redirect, stepUp.StatusCode);
        Assert.Equal("/login/second-factor?returnUrl=%2Fadmin%2Fusers%3Fq%3Dana", stepUp.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Forbidden, (await oneFactorAdmin.PostAsync("/admin/users", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await twoFactorMember.GetAsync("/admin/users")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await twoFactorAdmin.GetAsync("/admin/users")).StatusCode);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Locking_a_user_ends_their_sessions_and_is_audited(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var server = await IdpTestServer.StartAsync(db);
        var admin = await SignedInSession.CreateUserAsync(server, "admin@example.com", Roles.Admin);
        var member = await SignedInSession.CreateUserAsync(server, "Member@Example.com");
        using var portal = server.CreateClient(await SignedInSession.SignInAsync(server, admin.Id, AuthenticationLevels.TwoFactors));
        using var memberBrowser = server.CreateClient(await SignedInSession.SignInAsync(server, member.Id, AuthenticationLevels.TwoFactors));

        var search = await (await portal.GetAsync("/admin/users?q=member")).Content.ReadAsStringAsync();
        Assert.Contains("member@example.com", search, StringComparison.OrdinalIgnoreCase);
        // The portal's navigation names the signed-in admin; the results table must not list them.
        Assert.DoesNotContain("admin@example.com", search[search.IndexOf("<table", StringComparison.Ordinal)..]);

        var page = await (await portal.GetAsync($"/admin/users/{member.Id}")).Content.ReadAsStringAsync();
        var lockResponse = await portal.PostAsync($"/admin/users/{member.Id}?handler=Lock", Form(page, "Lock"));
        Assert.Equal(HttpStatusCode.Redirect, lockResponse.StatusCode);

        var after = await (await portal.GetAsync($"/admin/users/{member.Id}")).Content.ReadAsStringAsync();
        Assert.Contains("Locked", after);
        Assert.Equal(HttpStatusCode.Redirect, (await memberBrowser.GetAsync("/admin")).StatusCode);
        await Assert.ThrowsAsync<AccountLockedException>(() => SignedInSession.SignInAsync(server, member.Id, AuthenticationLevels.OneFactor));
        var audit = await (await portal.GetAsync("/admin/audit")).Content.ReadAsStringAsync();
        Assert.Contains("user.lock", audit);
        Assert.Contains($"user:{member.Id}", audit);
    }

    [Fact]
    public async Task A_form_without_its_antiforgery_token_changes_nothing()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db);
        var admin = await SignedInSession.CreateUserAsync(server, "admin@example.com", Roles.Admin);
        var member = await SignedInSession.CreateUserAsync(server, "member@example.com");
        using var portal = server.CreateClient(await SignedInSession.SignInAsync(server, admin.Id, AuthenticationLevels.TwoFactors));

        var response = await portal.PostAsync($"/admin/users/{member.Id}?handler=Lock", new FormUrlEncodedContent([]));
        var page = await (await portal.GetAsync($"/admin/users/{member.Id}")).Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain(">Locked<", page);
    }

    [Fact]
    public async Task Deleting_asks_for_confirmation_then_removes_the_user()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db);
        var admin = await SignedInSession.CreateUserAsync(server, "admin@example.com", Roles.Admin);
        var member = await SignedInSession.CreateUserAsync(server, "member@example.com");
        using var portal = server.CreateClient(await SignedInSession.SignInAsync(server, admin.Id, AuthenticationLevels.TwoFactors));

        var confirm = await (await portal.GetAsync($"/admin/users/{member.Id}/delete")).Content.ReadAsStringAsync();
        Assert.Contains("cannot be undone", confirm);
        var delete = await portal.PostAsync($"/admin/users/{member.Id}/delete", Form(confirm, null));

        Assert.Equal("/admin/users", delete.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.NotFound, (await portal.GetAsync($"/admin/users/{member.Id}")).StatusCode);
    }

    /// <summary>The antiforgery token of the form posting to the given handler (or the page's only form).</summary>
    private static FormUrlEncodedContent Form(string html, string? handler)
    {
        var forms = FormPattern().Matches(html).Select(m => m.Value);
        var form = handler is null ? forms.First() : forms.First(f => f.Contains($"handler={handler}"));
        var token = AntiforgeryToken.In(form);
        return new FormUrlEncodedContent([new("__RequestVerificationToken", token)]);
    }

    [GeneratedRegex("<form[^>]*method=\"post\".*?</form>", RegexOptions.Singleline)]
    private static partial Regex FormPattern();
}
