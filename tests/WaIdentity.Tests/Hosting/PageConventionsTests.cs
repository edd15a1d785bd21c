using System.Net;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Admin;
using WaIdentity.Tests.Infrastructure;

namespace WaIdentity.Tests.Hosting;

/// <summary>
/// What every page gets from the host's page conventions rather than from attributes on each page model, checked over
/// the app's own page list so a page added later is covered. (The portal's folder is checked in AdminAccessTests.)
/// </summary>
public sealed class PageConventionsTests
{
    [Fact]
    public async Task Every_page_answers_no_store()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db);
        using var portal = await AdminPortal.SignInAsync(server);
        using var visitor = server.CreateClient();
        var answered = new HashSet<string>();

        foreach (var (url, _) in Pages(server))
        {
            foreach (var (who, client) in new[] { ("a visitor", visitor), ("an admin", portal.Client) })
            {
                using var response = await client.GetAsync(url);
                if (response.StatusCode != HttpStatusCode.OK) continue;
                answered.Add(url);
                Assert.True(response.Headers.CacheControl?.NoStore == true, $"{url} for {who} answered Cache-Control: {response.Headers.CacheControl}");
            }
        }
        // Pages without a form (antiforgery would add no-store by itself) are among those checked.
        Assert.Superset(new HashSet<string> { "/", "/admin", "/admin/audit", "/admin/messages/dashboard", "/account", "/developer" }, answered);
    }

    [Fact]
    public async Task Every_account_and_developer_page_sends_a_visitor_to_sign_in_except_the_not_me_link()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db);
        using var visitor = server.CreateClient();
        var pages = Pages(server).Where(p => p.Page.StartsWith("/Account/", StringComparison.Ordinal) || p.Page.StartsWith("/Developer/", StringComparison.Ordinal)).ToList();
        Assert.Superset(new HashSet<string> { "/account", "/account/security", "/account/phone", "/account/reauth", "/developer", "/developer/apps/x" },
            pages.Select(p => p.Url).ToHashSet());

        foreach (var (url, page) in pages)
        {
            using var response = await visitor.GetAsync(url);
            if (page == "/Account/NotMe") Assert.Null(response.Headers.Location);
            else Assert.StartsWith("/login", response.Headers.Location?.PathAndQuery ?? $"{url} answered {(int)response.StatusCode}");
        }
    }

    /// <summary>Each Razor page's URL (parameters filled in) and page name.</summary>
    private static List<(string Url, string Page)> Pages(IdpTestServer server) =>
        server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => (Endpoint: e, Page: e.Metadata.GetMetadata<PageActionDescriptor>()))
            .Where(e => e.Page is not null)
            .Select(e => ("/" + System.Text.RegularExpressions.Regex.Replace(e.Endpoint.RoutePattern.RawText?.TrimStart('/') ?? "", "\\{[^}]+\\}", "x"), e.Page!.ViewEnginePath))
            .Distinct().ToList();
}
