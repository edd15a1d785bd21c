using System.Net;
using System.Net.Http.Headers;
using Microsoft.Playwright;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Admin;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.Tests.Login;

namespace WaIdentity.Tests.Hosting;

/// <summary>A browser meets a page with a way back for a missing or turned-off page; API clients keep problem+json.</summary>
public sealed class ErrorPageTests(LoginBrowser browser) : BrowserTests(browser)
{
    [Fact]
    public async Task A_browser_gets_a_localized_page_with_a_way_back_for_missing_and_disabled_pages()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, new Dictionary<string, string?> { ["Login:PasswordEnabled"] = "false" });
        using var portal = await AdminPortal.SignInAsync(server);

        var english = await browser.NewPageAsync();
        await AssertErrorPageAsync(english, server, "/nope", "Page not found");
        await english.Context.AddCookiesAsync(portal.Cookies.GetAllCookies().Select(c => new Microsoft.Playwright.Cookie { Name = c.Name, Value = c.Value, Url = server.BaseAddress.ToString() }));
        await AssertErrorPageAsync(english, server, "/admin/clients/no-such-client", "Page not found");

        var indonesian = await browser.NewPageAsync("id-ID");
        await AssertErrorPageAsync(indonesian, server, "/login/password", "Halaman tidak ditemukan");
        await indonesian.ClickAsync("#error-home");
        await indonesian.ArrivedAsync(u => u == server.BaseAddress.ToString());
    }

    [Fact]
    public async Task Api_clients_keep_problem_json_for_the_same_statuses()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, new Dictionary<string, string?> { ["Login:PasswordEnabled"] = "false" });
        using var portal = await AdminPortal.SignInAsync(server);
        using var api = server.CreateClient();
        api.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        portal.Client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("*/*"));

        foreach (var response in new[] { await api.GetAsync("/nope"), await api.GetAsync("/login/password"), await portal.Client.GetAsync("/admin/clients/no-such-client") })
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("\"status\":404", await response.Content.ReadAsStringAsync());
        }
    }

    private static async Task AssertErrorPageAsync(IPage page, IdpTestServer server, string path, string title)
    {
        var response = await page.GotoAsync(new Uri(server.BaseAddress, path).ToString());
        Assert.Equal(404, response!.Status);
        Assert.Equal(title, await page.InnerTextAsync("main h1"));
        Assert.Equal("/", await page.GetAttributeAsync("#error-home", "href"));
    }
}
