using System.Net;
using Microsoft.AspNetCore.Routing;
using WaIdentity.IdP.Persistence;
using WaIdentity.IdP.Sessions;
using WaIdentity.Tests.Infrastructure;

namespace WaIdentity.Tests.Admin;

/// <summary>Every /admin URL, found in the app's own endpoint list (so a page added later is covered), refuses non-admins.</summary>
public sealed class AdminAccessTests
{
    [Fact]
    public async Task A_non_admin_gets_403_and_a_visitor_the_login_page_on_every_admin_url()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db);
        var member = await SignedInSession.CreateUserAsync(server, "member@example.com");
        using var signedIn = server.CreateClient(await SignedInSession.SignInAsync(server, member.Id, AuthenticationLevels.TwoFactors));
        using var visitor = server.CreateClient();

        var urls = AdminUrls(server);
        Assert.Superset(new HashSet<string> { "/admin", "/admin/users", "/admin/clients", "/admin/clients/new", "/admin/login-methods", "/admin/device" }, urls.ToHashSet());

        foreach (var url in urls)
        {
            foreach (var (method, handler) in new[] { (HttpMethod.Get, ""), (HttpMethod.Get, "?handler=Status"), (HttpMethod.Post, "") })
            {
                using var request = new HttpRequestMessage(method, url + handler) { Content = method == HttpMethod.Post ? new FormUrlEncodedContent([]) : null };
                var asMember = await signedIn.SendAsync(request);
                Assert.True(asMember.StatusCode == HttpStatusCode.Forbidden,
                    $"{method} {url}{handler} as a non-admin answered {(int)asMember.StatusCode}");
            }
            var anonymous = await visitor.GetAsync(url);
            Assert.StartsWith("/login", anonymous.Headers.Location?.PathAndQuery ?? $"{url} answered {(int)anonymous.StatusCode}");
        }
    }

    /// <summary>The portal's page routes with parameters filled in.</summary>
    private static List<string> AdminUrls(IdpTestServer server) =>
        server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => "/" + e.RoutePattern.RawText?.TrimStart('/'))
            .Where(p => p == "/admin" || p.StartsWith("/admin/", StringComparison.Ordinal))
            .Select(p => System.Text.RegularExpressions.Regex.Replace(p, "\\{[^}]+\\}", "x"))
            .Distinct().ToList();
}
