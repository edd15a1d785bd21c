using System.Net;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Infrastructure;

namespace WaIdentity.Tests.Oidc;

/// <summary>The development demo: home page button, login, and a page with the ID token, access token and userinfo.</summary>
public sealed class DemoTests
{
    [Fact]
    public async Task Try_a_login_runs_the_demo_client_through_the_whole_flow()
    {
        await using var host = await OidcTestHost.StartAsync(DatabaseProvider.Sqlite);
        var browser = host.Browser();
        Assert.Contains("href=\"/demo?handler=Start\"", await browser.GetStringAsync("/"));

        var current = "/demo?handler=Start";
        string? page = null;
        for (var hop = 0; hop < 10 && page is null; hop++)
        {
            var response = await browser.GetAsync(current);
            if (response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.SeeOther)
            {
                var next = response.Headers.Location!;
                var path = next.IsAbsoluteUri ? next.PathAndQuery : next.ToString();
                current = path.StartsWith("/login?") ? await OidcTestHost.LoginAsync(browser, "/login/password" + path[6..], OidcTestHost.Email, OidcTestHost.Password) : path;
            }
            else page = await response.Content.ReadAsStringAsync();
        }

        Assert.NotNull(page);
        var text = WebUtility.HtmlDecode(page);
        Assert.Contains("id=\"id-token\"", text);
        Assert.Contains($"\"sub\": \"{host.UserId}\"", text);
        Assert.Contains("\"amr\": [", text);
        Assert.Contains("\"client_id\": \"demo\"", text);
        Assert.Contains($"\"phone_number\": \"{OidcTestHost.Phone}\"", text);
    }
}
