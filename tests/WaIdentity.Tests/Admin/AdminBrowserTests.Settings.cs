using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using WaIdentity.IdP.Persistence;
using WaIdentity.IdP.Settings;
using WaIdentity.IdP.Users;
using WaIdentity.Tests.Infrastructure;

namespace WaIdentity.Tests.Admin;

/// <summary>The login-methods page refuses changes that would harm: locking every admin out, nonsense values; and undoes an override.</summary>
public sealed partial class AdminBrowserTests
{
    [Fact]
    public async Task Switching_off_the_only_admins_password_login_is_refused_next_to_the_switch()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db);
        var (admin, who) = await AdminSignInAsync(server);
        await server.InScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<UserManager<IdpUser>>();
            return (await users.AddPasswordAsync((await users.FindByIdAsync(who.Id))!, "correct horse battery")).Succeeded;
        });

        await admin.GotoAsync(Url(server, "/admin/login-methods"));
        await admin.UncheckAsync("#f-Login-PasswordEnabled");
        await admin.ClickAsync("#save");

        var error = await admin.WaitForSelectorAsync("#f-Login-PasswordEnabled-error", Patience);
        Assert.Contains("no admin could sign in", await error!.InnerTextAsync());
        Assert.Equal(0, await server.InScopeAsync(sp => sp.GetRequiredService<IdpDbContext>().Set<SettingRow>().CountAsync()));
        Assert.Contains("id=\"password-login\"", await server.CreateClient().GetStringAsync("/login"));
    }

    [Fact]
    public async Task A_ten_second_code_lifetime_is_refused_in_the_browser_and_by_the_server()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db);
        var admin = await AdminPageAsync(server);
        using var portal = await AdminPortal.SignInAsync(server, "other-admin@example.com");

        await admin.GotoAsync(Url(server, "/admin/login-methods"));
        await admin.FillAsync("#f-Login-Otp-LifetimeSeconds", "10");
        await admin.ClickAsync("#save");
        var forged = await portal.PostAsync("/admin/login-methods", ("Login:Otp:LifetimeSeconds", "10"));

        Assert.True(await admin.EvalOnSelectorAsync<bool>("#f-Login-Otp-LifetimeSeconds", "e => e.matches(':invalid')"));
        Assert.Equal(HttpStatusCode.OK, forged.StatusCode);
        Assert.Matches("id=\"f-Login-Otp-LifetimeSeconds-error\">Enter a whole number from 60 to 600", await forged.Content.ReadAsStringAsync());
        Assert.Equal(0, await server.InScopeAsync(sp => sp.GetRequiredService<IdpDbContext>().Set<SettingRow>().CountAsync()));
    }

    [Fact]
    public async Task Reset_to_default_drops_the_portals_value()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db);
        var admin = await AdminPageAsync(server);
        await admin.GotoAsync(Url(server, "/admin/login-methods"));
        await admin.FillAsync("#f-Login-Otp-LifetimeSeconds", "300");
        await admin.ClickAsync("#save");
        await admin.WaitForSelectorAsync("#f-Login-Otp-LifetimeSeconds-reset", Patience);

        await admin.ClickAsync("#f-Login-Otp-LifetimeSeconds-reset");

        await admin.WaitForSelectorAsync(".notice", Patience);
        Assert.Equal("600", await admin.InputValueAsync("#f-Login-Otp-LifetimeSeconds"));
        Assert.Equal(0, await admin.Locator("#f-Login-Otp-LifetimeSeconds-reset").CountAsync());
        Assert.Equal(0, await server.InScopeAsync(sp => sp.GetRequiredService<IdpDbContext>().Set<SettingRow>().CountAsync()));
    }
}
