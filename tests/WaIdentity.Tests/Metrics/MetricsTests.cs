using System.Net;
using System.Net.Http.Headers;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Channel;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.Tests.Login;
using WaIdentity.Tests.Oidc;

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
        Assert.Matches(Sample("waidentity_outbox_depth", "0"), text);
        Assert.Contains("# TYPE waidentity_webhook_lag_seconds gauge", text);
        Assert.Matches(Sample("waidentity_fallbacks_24h", "0"), text);
    }

    [Fact]
    public async Task Metrics_show_latency_histograms_for_tokens_logins_and_delivery_with_runtime_and_framework_metrics()
    {
        await using var host = await OidcTestHost.StartAsync(DatabaseProvider.Sqlite, WhatsAppOtpBrowserTests.Settings());
        await host.PublicClientTokensAsync("metrics-rp");
        var phone = ChannelTestKit.NewPhone();
        var browser = host.Browser();
        await LoginForms.StartAsync(browser, phone);
        var code = await WhatsAppOtpBrowserTests.CodeFromInboxAsync(host.Server, phone, "whatsapp");
        var login = await LoginForms.PostAsync(browser, "/login/code", "/login/code", ("Code", code));
        Assert.True(login.IsSuccessStatusCode || (int)login.StatusCode is >= 300 and < 400, login.StatusCode.ToString());
        using var http = host.Server.CreateClient();

        // The delivery report arrives by webhook after the code was read from the inbox.
        var text = await Eventually.ValueAsync(() => http.GetStringAsync("/metrics"),
            t => t.Contains("waidentity_message_delivery_seconds_count"), ChannelTestKit.Patience);

        Assert.Contains("# TYPE waidentity_token_request_duration_seconds histogram", text);
        Assert.Matches(Sample("waidentity_token_request_duration_seconds_count", "1", "grant_type=\"authorization_code\",outcome=\"success\""), text);
        Assert.Matches("waidentity_token_request_duration_seconds_bucket\\{grant_type=\"authorization_code\",outcome=\"success\",le=\"\\+Inf\"\\} 1", text);
        Assert.Matches(Sample("waidentity_login_duration_seconds_count", "1", "method=\"otp\""), text);
        Assert.Matches(Sample("waidentity_logins_total", "1", "method=\"otp\",outcome=\"success\""), text);
        Assert.Matches(Sample("waidentity_message_delivery_seconds_count", "1", "channel=\"WhatsApp\",kind=\"Code\""), text);
        Assert.Contains("waidentity_http_request_duration_seconds_bucket{endpoint=\"/connect/token\",le=", text);
        // The runtime's and ASP.NET Core's own meters, beside the product's.
        Assert.Contains("# TYPE dotnet_gc_heap_total_allocated_bytes_total counter", text);
        Assert.Contains("# TYPE dotnet_thread_pool_thread_count gauge", text);
        Assert.Contains("http_server_request_duration_seconds_bucket{", text);
        Assert.Contains("http_route=\"/connect/token\"", text);
    }

    /// <summary>One sample line; the exporter writes an unlabelled sample as <c>name{} value</c>.</summary>
    private static string Sample(string name, string value, string labels = "") =>
        $"(?m)^{name}\\{{{labels}\\}} {value}$";
}
