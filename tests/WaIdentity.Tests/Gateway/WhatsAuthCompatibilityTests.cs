using System.Net.Http.Json;
using System.Text.Json;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Channel;
using WaIdentity.Tests.Device;
using WaIdentity.Tests.Infrastructure;

namespace WaIdentity.Tests.Gateway;

/// <summary>
/// An app written for WhatsAuth works by changing only its base URL and key: its body ({to, isgroup, messages}), its
/// "Token" header and its send route are taken, and it reads WhatsAuth's "response" / "error" in the answers.
/// </summary>
public sealed class WhatsAuthCompatibilityTests
{
    private static HttpRequestMessage WhatsAuthPost(string path, string token, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("Token", token);
        return request;
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_WhatsAuth_app_sends_to_a_person_with_its_own_route_header_and_fields(DatabaseProvider provider)
    {
        await using var host = await GatewayTestHost.StartAsync(provider);
        var token = await host.TokenAsync();
        using var http = host.Api(null);
        var phone = ChannelTestKit.NewPhone();
        await host.SendInboundAsync(phone, "Halo");

        // WhatsAuth v2: digits without '+', "isgroup", "messages", the key in "Token".
        var v2 = await GatewayTestHost.ReadAsync(await http.SendAsync(WhatsAuthPost("/api/v2/send/message/text", token,
            new { to = phone.TrimStart('+'), isgroup = false, messages = "Pesanan #42 sudah dikirim" })));
        Assert.Equal(200, v2.Status);
        var id = v2.Body.GetProperty("id").GetString()!;
        Assert.Equal($"ID:{id} queued", v2.Body.GetProperty("response").GetString());
        Assert.Equal(phone, v2.Body.GetProperty("to").GetString());

        // The same fields on this API's own route, "message" for "text", a number with its trunk 0 (default country 62).
        var national = "0" + phone[3..];
        var own = await GatewayTestHost.ReadAsync(await http.SendAsync(WhatsAuthPost("/api/v1/messages", token,
            new { to = national, isgroup = "false", message = "Pesanan #43 sudah dikirim" })));
        Assert.Equal(202, own.Status);
        Assert.Equal(phone, own.Body.GetProperty("to").GetString());

        var inbox = await ChannelTestKit.InboxWhenAsync(host.Oidc.Server, phone, m => m.Count == 2);
        Assert.Equal(["Pesanan #42 sudah dikirim", "Pesanan #43 sudah dikirim"], inbox.Select(m => m.Text).Order());
        using var app = host.Api(token);
        var status = await GatewayTestHost.ReadAsync(await app.GetAsync($"/api/v1/messages/{id}"));
        Assert.Equal(200, status.Status);

        // A refusal: problem details with WhatsAuth's "error" sentence beside them; the older v1 route answers alike.
        var empty = await GatewayTestHost.ReadAsync(await http.SendAsync(WhatsAuthPost("/api/send/message/text", token, new { to = phone, messages = "" })));
        GatewayTestHost.AssertProblem(empty.Response, empty.Body, 400, "invalid-request");
        Assert.Equal(empty.Body.GetProperty("detail").GetString(), empty.Body.GetProperty("error").GetString());
        Assert.True(empty.Body.GetProperty("errors").TryGetProperty("text", out _));
        var noKey = await GatewayTestHost.ReadAsync(await http.PostAsJsonAsync("/api/v2/send/message/text", new { to = phone, messages = "hi" }));
        GatewayTestHost.AssertProblem(noKey.Response, noKey.Body, 401, "invalid-token");
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_WhatsAuth_group_message_with_isgroup_goes_through_the_linked_device(DatabaseProvider provider)
    {
        await using var host = await GatewayTestHost.StartAsync(provider, [.. DeviceTestKit.Settings().Select(kv => (kv.Key, kv.Value))]);
        await DeviceTestKit.PairByQrAsync(host.Oidc.Server, GatewayTestHost.BusinessNumber);
        using var dev = host.Oidc.Server.CreateClient();
        var created = await GatewayTestHost.ReadAsync(await dev.PostAsJsonAsync("/dev/inbox/api/device/groups", new { subject = "Warung", members = new[] { ChannelTestKit.NewPhone() } }));
        var group = created.Body.GetProperty("id").GetString()!;
        using var http = host.Api(null);

        // WhatsAuth sends the group id without "@g.us" and isgroup: true.
        var sent = await GatewayTestHost.ReadAsync(await http.SendAsync(WhatsAuthPost("/api/v2/send/message/text", await host.TokenAsync(),
            new { to = group[..^5], isgroup = true, messages = "Stock opname jam 17:00" })));
        Assert.Equal(200, sent.Status);
        Assert.Equal(group, sent.Body.GetProperty("to").GetString());
        Assert.True(sent.Body.GetProperty("is_group").GetBoolean());
        var inbox = await ChannelTestKit.InboxWhenAsync(host.Oidc.Server, group, m => m.Count == 1);
        Assert.Equal("Stock opname jam 17:00", inbox[0].Text);
    }

    [Fact]
    public async Task The_api_docs_show_both_shapes_and_the_WhatsAuth_route_and_header()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db);
        using var http = server.CreateClient();
        var doc = JsonDocument.Parse(await http.GetStringAsync("/apidocs/v1/openapi.json")).RootElement;
        var examples = doc.GetProperty("paths").GetProperty("/api/v1/messages").GetProperty("post").GetProperty("requestBody")
            .GetProperty("content").GetProperty("application/json").GetProperty("examples");
        Assert.Equal("Your order #1042 has shipped.", examples.GetProperty("waidentity").GetProperty("value").GetProperty("text").GetString());
        Assert.False(examples.GetProperty("whatsauth").GetProperty("value").GetProperty("isgroup").GetBoolean());
        var v2 = doc.GetProperty("paths").GetProperty("/api/v2/send/message/text").GetProperty("post");
        Assert.Contains(v2.GetProperty("security").EnumerateArray(), r => r.TryGetProperty("token", out _));
        Assert.Equal("header", doc.GetProperty("components").GetProperty("securitySchemes").GetProperty("token").GetProperty("in").GetString());
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Verification_leads_with_the_asked_type_and_its_callback_has_WhatsAuths_fields(DatabaseProvider provider)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var host = await GatewayTestHost.StartAsync(provider);
        await host.ConfigureAsync("app", [receiver.Origin]);
        using var app = host.Api(await host.TokenAsync());

        var byCode = await GatewayTestHost.ReadAsync(await app.GetAsync("/api/v1/verification_code"));
        Assert.Equal("code", byCode.Body.GetProperty("type").GetString());
        Assert.Equal(byCode.Body.GetProperty("code").GetString(), byCode.Body.GetProperty("value").GetString());
        var byDeepLink = await GatewayTestHost.ReadAsync(await app.GetAsync("/api/v1/verification_code?type=deep_link"));
        Assert.Equal(byDeepLink.Body.GetProperty("deep_link").GetString(), byDeepLink.Body.GetProperty("value").GetString());
        var bad = await GatewayTestHost.ReadAsync(await app.GetAsync("/api/v1/verification_code?type=qr"));
        GatewayTestHost.AssertProblem(bad.Response, bad.Body, 400, "invalid-request");
        Assert.True(bad.Body.GetProperty("errors").TryGetProperty("type", out _));

        var byLink = await GatewayTestHost.ReadAsync(await app.GetAsync("/api/v1/verification_code?type=link&callback_url=" + Uri.EscapeDataString(receiver.Origin + "/hooks/verified")));
        Assert.Equal(200, byLink.Status);
        Assert.Equal("link", byLink.Body.GetProperty("type").GetString());
        var link = byLink.Body.GetProperty("value").GetString()!;
        Assert.Equal(byLink.Body.GetProperty("link").GetString(), link);
        var phone = ChannelTestKit.NewPhone();
        await host.SendInboundAsync(phone, Uri.UnescapeDataString(new Uri(link).Query["?text=".Length..]));

        var received = await Eventually.ValueAsync(() => Task.FromResult(receiver.Requests.ToList()), r => r.Count > 0, ChannelTestKit.Patience);
        var callback = JsonDocument.Parse(Assert.Single(received).Body).RootElement;
        Assert.Equal(phone, callback.GetProperty("phone_number").GetString());
        Assert.Equal([phone], callback.GetProperty("authorized_numbers").EnumerateArray().Select(n => n.GetString()));
        Assert.Equal(JsonValueKind.Null, callback.GetProperty("error").ValueKind);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_browser_app_calls_verification_from_its_registered_origin_only(DatabaseProvider provider)
    {
        await using var host = await GatewayTestHost.StartAsync(provider);
        await host.CreateApiClientAsync("other", ["wa.verify"]);
        await host.ConfigureAsync("app", ["https://shop.example"]);
        await host.ConfigureAsync("other", ["https://other.example"]);
        using var http = host.Api(null);

        // The browser's preflight for a GET with an Authorization header.
        async Task<HttpResponseMessage> PreflightAsync(string origin)
        {
            using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/v1/verification_code?type=link");
            preflight.Headers.Add("Origin", origin);
            preflight.Headers.Add("Access-Control-Request-Method", "GET");
            preflight.Headers.Add("Access-Control-Request-Headers", "authorization");
            return await http.SendAsync(preflight);
        }
        var allowed = await PreflightAsync("https://shop.example");
        Assert.Equal(204, (int)allowed.StatusCode);
        Assert.Equal("https://shop.example", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("authorization", allowed.Headers.GetValues("Access-Control-Allow-Headers").Single(), StringComparison.OrdinalIgnoreCase);
        var stranger = await PreflightAsync("https://evil.example");
        Assert.False(stranger.Headers.Contains("Access-Control-Allow-Origin"));

        async Task<(int Status, JsonElement Body, HttpResponseMessage Response)> GetFromAsync(string origin)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/verification_code?type=link");
            request.Headers.Add("Origin", origin);
            request.Headers.Authorization = new("Bearer", await host.TokenAsync());
            return await GatewayTestHost.ReadAsync(await http.SendAsync(request));
        }
        var own = await GetFromAsync("https://shop.example");
        Assert.Equal(200, own.Status);
        Assert.Equal("https://shop.example", own.Response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        // Another client's origin passes the preflight (it carries no token) but not the call with this client's token.
        var foreign = await GetFromAsync("https://other.example");
        GatewayTestHost.AssertProblem(foreign.Response, foreign.Body, 403, "origin-not-allowed");
    }
}
