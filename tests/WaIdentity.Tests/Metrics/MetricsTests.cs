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

    [Fact]
    public async Task Metrics_report_sessions_messages_outbox_and_webhook_figures_from_the_database()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, WaIdentity.Tests.Channel.ChannelTestKit.Settings());
        var user = await SignedInSession.CreateUserAsync(server, "ana@example.com");
        await SignedInSession.SignInAsync(server, user.Id, WaIdentity.IdP.Sessions.AuthenticationLevels.OneFactor);
        var handle = await WaIdentity.Tests.Channel.ChannelTestKit.SendAsync(server, WaIdentity.Tests.Channel.ChannelTestKit.NewPhone(), "123456");
        await WaIdentity.Tests.Channel.ChannelTestKit.StatusWhenAsync(server, handle, s => s.State >= WaIdentity.WaChannel.Codes.DeliveryState.Delivered);
        using var http = server.CreateClient();

        var text = await http.GetStringAsync("/metrics");

        Assert.Contains("waidentity_sessions_started_total{amr=\"pwd\"} 1", text);
        Assert.Matches("waidentity_messages_24h\\{channel=\"WhatsApp\",state=\"(Delivered|Read)\"\\} 1", text);
        Assert.Contains("waidentity_outbox_depth 0", text);
        Assert.Contains("# TYPE waidentity_webhook_lag_seconds gauge", text);
        Assert.Contains("waidentity_fallbacks_24h 0", text);
    }
}
