using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using WaIdentity.IdP.Gateway;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Channel;
using WaIdentity.Tests.Infrastructure;

namespace WaIdentity.Tests.Gateway;

/// <summary>The gateway's errors that the feature tests do not reach: body limits and shape, scopes and the verification quota.</summary>
public sealed class GatewayContractTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Oversized_and_non_object_bodies_are_refused_and_nothing_is_queued(DatabaseProvider provider)
    {
        await using var host = await GatewayTestHost.StartAsync(provider);
        using var app = host.Api(await host.TokenAsync());
        var phone = ChannelTestKit.NewPhone();
        var huge = $$"""{ "to": "{{phone}}", "text": "hi", "padding": "{{new string('x', JsonBody.MaxBytes)}}" }""";

        var declared = await GatewayTestHost.ReadAsync(await app.PostAsync("/api/v1/messages", new StringContent(huge, Encoding.UTF8, "application/json")));
        GatewayTestHost.AssertProblem(declared.Response, declared.Body, 413, "too-large");
        Assert.Contains("larger than", declared.Body.GetProperty("detail").GetString());

        // Chunked, so without a Content-Length: refused all the same once the body passes the limit.
        var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(huge)));
        chunked.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/messages") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        var streamed = await GatewayTestHost.ReadAsync(await app.SendAsync(request));
        GatewayTestHost.AssertProblem(streamed.Response, streamed.Body, 413, "too-large");

        var array = await GatewayTestHost.ReadAsync(await app.PostAsync("/api/v1/messages", new StringContent($$"""[{ "to": "{{phone}}", "text": "hi" }]""", Encoding.UTF8, "application/json")));
        GatewayTestHost.AssertProblem(array.Response, array.Body, 400, "invalid-request");
        Assert.Contains("JSON object", array.Body.GetProperty("detail").GetString());

        Assert.Empty(await ChannelTestKit.MessagesToAsync(host.Oidc.Server, phone));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Verification_needs_its_scope_and_has_a_daily_quota_per_client(DatabaseProvider provider)
    {
        await using var host = await GatewayTestHost.StartAsync(provider, ("Gateway:DailyVerificationQuota", "2"));
        var senderSecret = await host.CreateApiClientAsync("sender", ["wa.send"]);
        var otherSecret = await host.CreateApiClientAsync("other", ["wa.verify"]);

        using var sender = host.Api(await host.TokenAsync("sender", senderSecret));
        foreach (var path in new[] { "/api/v1/verification_code", "/api/v1/verification_code/" + Guid.NewGuid().ToString("N") })
        {
            var denied = await GatewayTestHost.ReadAsync(await sender.GetAsync(path));
            GatewayTestHost.AssertProblem(denied.Response, denied.Body, 403, "insufficient-scope");
            Assert.Contains("scope=\"wa.verify\"", denied.Response.Headers.WwwAuthenticate.ToString());
        }

        using var app = host.Api(await host.TokenAsync());
        Assert.Equal(200, (int)(await app.GetAsync("/api/v1/verification_code")).StatusCode);
        Assert.Equal(200, (int)(await app.GetAsync("/api/v1/verification_code")).StatusCode);
        var over = await GatewayTestHost.ReadAsync(await app.GetAsync("/api/v1/verification_code"));
        GatewayTestHost.AssertProblem(over.Response, over.Body, 429, "rate-limited");
        Assert.True(over.Response.Headers.RetryAfter?.Delta > TimeSpan.Zero);

        // The quota is the client's own: another client still gets codes.
        using var other = host.Api(await host.TokenAsync("other", otherSecret));
        Assert.Equal(200, (int)(await other.GetAsync("/api/v1/verification_code")).StatusCode);
    }
}
