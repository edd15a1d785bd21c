using System.Net;
using System.Net.Http.Headers;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Infrastructure;

namespace WaIdentity.Tests.Hosting;

/// <summary>Defaults of a server outside Development: HSTS for a year, /metrics not for anyone, /apidocs a choice, 503 when the database is down.</summary>
public sealed class ProductionDefaultsTests
{
    private const string Token = "scrape-token-0123456789";

    [Fact]
    public async Task Hsts_asks_browsers_to_keep_to_https_for_a_year()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, Staging(("Hosting:TrustedProxies:0", "127.0.0.1")), "Staging");
        using var http = server.CreateClient();

        var request = new HttpRequestMessage(HttpMethod.Get, "/") { Headers = { Host = "id.example" } };
        request.Headers.Add("X-Forwarded-Proto", "https");
        var response = await http.SendAsync(request);

        Assert.Equal("max-age=31536000", response.Headers.GetValues("Strict-Transport-Security").Single());
    }

    [Fact]
    public async Task A_form_page_over_plain_http_says_https_is_needed_instead_of_failing()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, Staging(), "Staging");
        using var http = server.CreateClient();

        var request = new HttpRequestMessage(HttpMethod.Get, "/login/password");
        request.Headers.Accept.ParseAdd("text/html");
        var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("This page needs a secure connection", page);
        Assert.Contains("Hosting:TrustedProxies", page);
    }

    [Fact]
    public async Task Metrics_outside_development_answer_only_loopback_callers_unless_told_otherwise()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, Staging(("Hosting:TrustedProxies:0", "127.0.0.1")), "Staging");
        using var http = server.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/metrics")).StatusCode); // a scraper on the same host
        var remote = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { { "X-Forwarded-For", "203.0.113.9" } } });
        Assert.Equal(HttpStatusCode.Forbidden, remote.StatusCode);
        Assert.DoesNotContain("waidentity_", await remote.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Metrics_answer_a_bearer_token_from_anywhere_and_allowed_networks_without_one()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, Staging(("Hosting:TrustedProxies:0", "127.0.0.1"),
            ("Metrics:BearerToken", Token), ("Metrics:AllowedAddresses:0", "10.0.0.0/8")), "Staging");
        using var http = server.CreateClient();

        HttpRequestMessage From(string ip, string? token = null)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { { "X-Forwarded-For", ip } } };
            if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return request;
        }

        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(From("203.0.113.9", Token))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(From("10.1.2.3"))).StatusCode);
        var refused = await http.SendAsync(From("203.0.113.9", "wrong-token-0123456789"));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/metrics")).StatusCode); // loopback is not special once addresses are set
    }

    [Theory]
    [InlineData(null, HttpStatusCode.OK)]
    [InlineData("false", HttpStatusCode.NotFound)]
    public async Task Api_docs_are_served_unless_turned_off(string? setting, HttpStatusCode expected)
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, Staging(("Gateway:ApiDocs", setting)), "Staging");
        using var http = server.CreateClient();

        Assert.Equal(expected, (await http.GetAsync("/apidocs/v1/openapi.json")).StatusCode);
        Assert.Equal(expected, (await http.GetAsync("/apidocs/index.html")).StatusCode);
    }

    [Fact]
    public async Task With_the_database_down_people_get_a_503_page_with_retry_after_and_apis_a_503_problem()
    {
        // Mode=ReadWrite never creates the file, so once it is gone every new connection fails to open.
        var file = Path.Combine(Path.GetTempPath(), $"waid-down-{Guid.NewGuid():N}.db");
        await File.WriteAllBytesAsync(file, []);
        await using var server = await IdpTestServer.StartAsync(await TestDatabase.CreateAsync(DatabaseProvider.Sqlite), new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = $"Data Source={file};Mode=ReadWrite;Pooling=False",
        });
        using var http = server.CreateClient();
        foreach (var f in new[] { file, file + "-wal", file + "-shm" }) File.Delete(f);

        var page = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/connect/authorize?client_id=shop&response_type=code&redirect_uri=http://127.0.0.1:9/cb")
        {
            Headers = { Accept = { new MediaTypeWithQualityHeaderValue("text/html") } },
        });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(30), page.Headers.RetryAfter?.Delta);
        Assert.Contains("Temporarily unavailable", await page.Content.ReadAsStringAsync());

        var api = await http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = "shop", ["client_secret"] = "x" }));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, api.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(30), api.Headers.RetryAfter?.Delta);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
    }

    private static Dictionary<string, string?> Staging(params (string Key, string? Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["DataProtection:KeyEncryptionKey"] = Convert.ToBase64String(new byte[32].Select((_, i) => (byte)(i + 7)).ToArray()),
            ["Login:Otp:CodeHashKey"] = Convert.ToBase64String(new byte[32].Select((_, i) => (byte)(i + 11)).ToArray()),
        };
        foreach (var (k, v) in extra) if (v is not null) settings[k] = v;
        return settings;
    }
}
