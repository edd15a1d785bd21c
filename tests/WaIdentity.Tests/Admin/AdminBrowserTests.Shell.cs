using Microsoft.Playwright;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.Tests.Oidc;

namespace WaIdentity.Tests.Admin;

/// <summary>The portal's frame: a summary on the home page, one navigation on every page, a phone-sized screen, confirmations.</summary>
public sealed partial class AdminBrowserTests
{
    private static readonly string[] PortalPages =
        ["/admin", "/admin/users", "/admin/clients", "/admin/clients/new", "/admin/login-methods", "/admin/whatsapp", "/admin/device",
         "/admin/messages", "/admin/messages/dashboard", "/admin/webhooks", "/admin/audit", "/admin/apps"];

    [Fact]
    public async Task The_home_page_summarises_users_logins_delivery_and_what_needs_attention()
    {
        await using var host = await OidcTestHost.StartAsync(DatabaseProvider.Sqlite);
        var admin = await AdminPageAsync(host.Server);

        await admin.GotoAsync(Url(host.Server, "/admin"));

        Assert.True(int.Parse(await admin.InnerTextAsync("#users-total")) >= 2); // the test user and the admin
        Assert.Contains("Password", await admin.InnerTextAsync("#logins-by-method"));
        Assert.Contains("sandbox", await admin.InnerTextAsync("#attention"));
        Assert.Equal("/admin/whatsapp", await admin.GetAttributeAsync("#attention a", "href"));
    }

    [Fact]
    public async Task Every_portal_page_has_the_navigation_with_its_section_marked_and_who_is_signed_in()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db);
        var admin = await AdminPageAsync(server);

        foreach (var path in PortalPages)
        {
            await admin.GotoAsync(Url(server, path));
            var current = admin.Locator("nav.admin-nav a[aria-current='page']");
            Assert.Equal(1, await current.CountAsync());
            var href = await current.GetAttributeAsync("href");
            Assert.True(path == href || path.StartsWith(href + "/"), $"{path} marks {href}");
            Assert.Equal("admin@example.com", await admin.InnerTextAsync("#signed-in-as"));
            Assert.Equal("/logout", await admin.GetAttributeAsync("#sign-out", "href"));
            Assert.Equal(1, await admin.Locator("nav.admin-nav a[href='/admin/webhooks']").CountAsync());
        }
    }

    public static TheoryData<string, int, int> Views => new() { { "en-US", 1280, 800 }, { "id-ID", 390, 844 } };

    [Theory, MemberData(nameof(Views))]
    public async Task Every_portal_page_has_labels_contrast_and_visible_focus(string locale, int width, int height)
    {
        await using var host = await OidcTestHost.StartAsync(DatabaseProvider.Sqlite);
        var (admin, _) = await AdminSignInAsync(host.Server, locale);
        await admin.SetViewportSizeAsync(width, height);
        var shots = new Screenshots(admin, $"admin-{locale[..2]}-{width}");

        foreach (var path in PortalPages.Append($"/admin/users/{host.UserId}").Append("/admin/clients/demo"))
        {
            await admin.GotoAsync(Url(host.Server, path));
            var name = path.TrimStart('/').Replace('/', '-');
            await shots.TakeAsync(name[..Math.Min(40, name.Length)]);
            await PageChecks.AssertAccessibleAsync(admin);
        }
    }

    [Fact]
    public async Task A_users_sessions_name_the_browser_in_words_and_times_in_the_admins_time_zone()
    {
        await using var host = await OidcTestHost.StartAsync(DatabaseProvider.Sqlite);
        var user = await browser.NewPageAsync();
        await user.GotoAsync(Url(host.Server, "/login?returnUrl=%2Faccount"));
        await WaIdentity.Tests.Mfa.MfaKit.PasswordAsync(user);
        await WaIdentity.Tests.Mfa.MfaKit.ArrivedAtAsync(user, "/account");
        using var portal = await AdminPortal.SignInAsync(host.Server);
        var context = await browser.NewContextAsync(new() { Locale = "id-ID", TimezoneId = "Asia/Jakarta" });
        await context.AddCookiesAsync(portal.Cookies.GetCookies(host.Server.BaseAddress)
            .Select(c => new Cookie { Name = c.Name, Value = c.Value, Url = host.Server.BaseAddress.ToString() }));
        var admin = await context.NewPageAsync();

        await admin.GotoAsync(Url(host.Server, $"/admin/users/{host.UserId}"));

        var sessions = admin.Locator("table.grid").Last;
        Assert.Contains("Chrome di Linux", await sessions.InnerTextAsync());
        Assert.DoesNotContain("Mozilla", await sessions.InnerTextAsync());
        Assert.EndsWith("WIB", await admin.Locator("time.local-time").First.InnerTextAsync()); // Western Indonesia Time, named as an Indonesian reader expects
    }

    [Fact]
    public async Task No_portal_page_scrolls_sideways_on_a_phone()
    {
        await using var host = await OidcTestHost.StartAsync(DatabaseProvider.Sqlite);
        var admin = await AdminPageAsync(host.Server);
        await admin.SetViewportSizeAsync(390, 844);

        foreach (var path in PortalPages.Append($"/admin/users/{host.UserId}").Append("/admin/clients/demo"))
        {
            await admin.GotoAsync(Url(host.Server, path));
            var width = await admin.EvaluateAsync<int>("document.documentElement.scrollWidth");
            Assert.True(width <= 390, $"{path} is {width}px wide on a 390px screen");
        }
    }

    [Fact]
    public async Task Locking_a_user_asks_first_and_cancel_leaves_them_active()
    {
        await using var host = await OidcTestHost.StartAsync(DatabaseProvider.Sqlite);
        var admin = await AdminPageAsync(host.Server);
        await admin.GotoAsync(Url(host.Server, $"/admin/users/{host.UserId}"));
        Assert.Contains("secondary", await admin.GetAttributeAsync("#lock", "class")); // not styled as the page's main action

        await admin.ClickAsync("#lock");
        var dialog = await admin.WaitForSelectorAsync("dialog#confirm", new() { State = WaitForSelectorState.Visible });
        Assert.Contains("Lock", await dialog!.InnerTextAsync());
        await admin.Keyboard.PressAsync("Escape");

        await admin.GotoAsync(Url(host.Server, $"/admin/users/{host.UserId}"));
        Assert.Equal("Active", await admin.InnerTextAsync("#state"));
    }
}
