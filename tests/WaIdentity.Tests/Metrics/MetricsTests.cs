using System.Net;
using System.Net.Http.Headers;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Infrastructure;

namespace WaIdentity.Tests.Metrics;

public sealed class MetricsTests
{
    [Fact]
    public async Task Metrics_count_requests_by_route_pattern_and_status()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db);
        using var http = server.CreateClient();

        await http.GetAsync("/health/live");
        await http.GetAsync("/health/live");
        await http.GetAsync("/no/such/page/" + Guid.NewGuid());
        var response = await http.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("# TYPE waidentity_http_requests_total counter", text);
        Assert.Contains("waidentity_http_requests_total{endpoint=\"/health/live\",status=\"200\"} 2", text);
        Assert.Contains("waidentity_http_requests_total{endpoint=\"unmatched\",status=\"404\"} 1", text);
        Assert.DoesNotContain("/no/such/page", text);
    }

    [Fact]
    public async Task A_configured_bearer_token_is_required()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, new Dictionary<string, string?> { ["Metrics:BearerToken"] = "scrape-token-0123456789" });
        using var http = server.CreateClient();

        var anonymous = await http.GetAsync("/metrics");
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "scrape-token-0123456789");
        var authorized = await http.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, authorized.StatusCode);
    }
}
