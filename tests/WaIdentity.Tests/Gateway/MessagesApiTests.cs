using System.Net.Http.Json;
using System.Text;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Channel;
using WaIdentity.Tests.Infrastructure;

namespace WaIdentity.Tests.Gateway;

/// <summary>POST /api/v1/messages queues a text through the outbox; GET shows its delivery state to the client that sent it, and only to it.</summary>
public sealed class MessagesApiTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_message_is_delivered_and_its_status_is_readable_by_its_own_client_only(DatabaseProvider provider)
    {
        await using var host = await GatewayTestHost.StartAsync(provider);
        var otherSecret = await host.CreateApiClientAsync("other", ["wa.send"]);
        var phone = ChannelTestKit.NewPhone();
        using var app = host.Api(await host.TokenAsync());
        // The user wrote to the business number first: WhatsApp delivers free texts only inside that 24-hour window.
        await host.SendInboundAsync(phone, "Hello shop");

        var sent = await GatewayTestHost.ReadAsync(await app.PostAsJsonAsync("/api/v1/messages", new { to = phone, is_group = false, text = "Your order #42 has shipped" }));
        Assert.Equal(202, sent.Status);
        var id = sent.Body.GetProperty("id").GetString()!;
        Assert.Equal("queued", sent.Body.GetProperty("status").GetString());
        Assert.Equal(phone, sent.Body.GetProperty("to").GetString());
        Assert.False(sent.Body.GetProperty("is_group").GetBoolean());

        // The phone receives it (dev inbox), and the API reports the state the channel reached.
        var inbox = await ChannelTestKit.InboxWhenAsync(host.Oidc.Server, phone, m => m.Count == 1);
        Assert.Equal("Your order #42 has shipped", inbox[0].Text);
        var status = await Eventually.ValueAsync(async () => await GatewayTestHost.ReadAsync(await app.GetAsync($"/api/v1/messages/{id}")),
            r => r.Body.GetProperty("status").GetString() is "delivered" or "read", ChannelTestKit.Patience);
        Assert.Equal("whatsapp", status.Body.GetProperty("channel").GetString());
        Assert.False(status.Body.GetProperty("fell_back").GetBoolean());

        using var other = host.Api(await host.TokenAsync("other", otherSecret));
        var foreign = await GatewayTestHost.ReadAsync(await other.GetAsync($"/api/v1/messages/{id}"));
        GatewayTestHost.AssertProblem(foreign.Response, foreign.Body, 404, "not-found");
        var unknown = await GatewayTestHost.ReadAsync(await app.GetAsync("/api/v1/messages/not-an-id"));
        GatewayTestHost.AssertProblem(unknown.Response, unknown.Body, 404, "not-found");
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Invalid_messages_are_refused_before_anything_is_queued(DatabaseProvider provider)
    {
        await using var host = await GatewayTestHost.StartAsync(provider);
        using var app = host.Api(await host.TokenAsync());

        var badPhone = await GatewayTestHost.ReadAsync(await app.PostAsJsonAsync("/api/v1/messages", new { to = "0812-not-a-number", text = "hi" }));
        GatewayTestHost.AssertProblem(badPhone.Response, badPhone.Body, 400, "invalid-request");
        Assert.True(badPhone.Body.GetProperty("errors").TryGetProperty("to", out _));

        var noText = await GatewayTestHost.ReadAsync(await app.PostAsJsonAsync("/api/v1/messages", new { to = "+6281234567890", text = " " }));
        GatewayTestHost.AssertProblem(noText.Response, noText.Body, 400, "invalid-request");
        Assert.True(noText.Body.GetProperty("errors").TryGetProperty("text", out _));

        var tooLong = await GatewayTestHost.ReadAsync(await app.PostAsJsonAsync("/api/v1/messages", new { to = "+6281234567890", text = new string('a', 4097) }));
        GatewayTestHost.AssertProblem(tooLong.Response, tooLong.Body, 400, "invalid-request");

        var form = await GatewayTestHost.ReadAsync(await app.PostAsync("/api/v1/messages", new StringContent("to=%2B6281234567890&text=hi", Encoding.UTF8, "application/x-www-form-urlencoded")));
        Assert.Equal(415, form.Status);
        Assert.Equal("application/problem+json", form.Response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(IdP.Gateway.JsonBody.UnsupportedMediaType, form.Body.GetProperty("type").GetString());

        var broken = await GatewayTestHost.ReadAsync(await app.PostAsync("/api/v1/messages", new StringContent("{\"to\":", Encoding.UTF8, "application/json")));
        GatewayTestHost.AssertProblem(broken.Response, broken.Body, 400, "invalid-request");

        // Digits without '+' (WAPIZ style) are accepted as the same E.164 number.
        var digits = await GatewayTestHost.ReadAsync(await app.PostAsJsonAsync("/api/v1/messages", new { to = "6281234567890", text = "hi" }));
        Assert.Equal(202, digits.Status);
        Assert.Equal("+6281234567890", digits.Body.GetProperty("to").GetString());
        // Only that one message was queued (a later SMS fallback row is the same message, so it is not counted).
        Assert.Single(await ChannelTestKit.MessagesToAsync(host.Oidc.Server, "+6281234567890"), m => m.FallbackOfId is null);
    }
}
