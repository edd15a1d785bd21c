using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.WaChannel.Inbound;
using WaIdentity.WaChannel.Persistence;
using WaIdentity.WaChannel.Webhooks;
using static WaIdentity.Tests.Channel.ChannelTestKit;

namespace WaIdentity.Tests.Channel;

/// <summary>A simulated phone's WhatsApp message travels through the emulator's signed webhook and is recorded once.</summary>
public sealed class InboundTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_inbound_message_from_the_dev_inbox_arrives_once_with_the_senders_number(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var server = await IdpTestServer.StartAsync(db, Settings());
        using var client = server.CreateClient();
        var phone = NewPhone();

        using var response = await client.PostAsJsonAsync("/dev/inbox/api/inbound", new { from = phone, text = "LOGIN 482913", profileName = "Budi" });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var records = await Eventually.ValueAsync(() => InboundAsync(server), r => r.Count > 0, Patience);
        Assert.Equal(phone, Assert.Single(records).Phone);
        // The same webhook delivered again (Meta retries) is dropped: replay the stored raw body with its signature.
        var raw = await server.InScopeAsync(sp => sp.GetRequiredService<ChannelDbContext>().Set<WebhookEvent>().Select(w => w.Body).SingleAsync());
        var bytes = System.Text.Encoding.UTF8.GetBytes(raw);
        var replay = new HttpRequestMessage(HttpMethod.Post, "/channel/webhooks/whatsapp") { Content = new ByteArrayContent(bytes) };
        replay.Headers.Add(HubSignature.Header, HubSignature.Sign(WaIdentity.WaChannel.Sandbox.SandboxCredentials.AppSecret, bytes));
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(replay)).StatusCode);
        await Eventually.ValueAsync(
            () => server.InScopeAsync(sp => sp.GetRequiredService<ChannelDbContext>().Set<WebhookEvent>().CountAsync(w => w.ProcessedAt == null)),
            n => n == 0, Patience);
        Assert.Single(await InboundAsync(server));
    }

    [Fact]
    public async Task A_text_reply_is_allowed_only_inside_the_24_hour_window()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, Settings());
        using var client = server.CreateClient();
        var phone = NewPhone();
        var url = $"/sandbox/whatsapp/v25.0/{WaIdentity.WaChannel.Sandbox.SandboxCredentials.PhoneNumberId}/messages";
        object Text() => new { messaging_product = "whatsapp", to = phone.TrimStart('+'), type = "text", text = new { body = "You are logged in." } };
        var bearer = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", WaIdentity.WaChannel.Sandbox.SandboxCredentials.AccessToken);

        client.DefaultRequestHeaders.Authorization = bearer;
        using var outside = await client.PostAsJsonAsync(url, Text());
        (await client.PostAsJsonAsync("/dev/inbox/api/inbound", new { from = phone, text = "hi" })).EnsureSuccessStatusCode();
        using var inside = await client.PostAsJsonAsync(url, Text());
        client.DefaultRequestHeaders.Authorization = new("Bearer", "wrong");
        using var badToken = await client.PostAsJsonAsync(url, Text());

        Assert.Equal(HttpStatusCode.BadRequest, outside.StatusCode);
        Assert.Contains("131047", await outside.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, inside.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, badToken.StatusCode);
        Assert.Contains("190", await badToken.Content.ReadAsStringAsync());
    }

    private static Task<List<InboundMessageRecord>> InboundAsync(IdpTestServer server) =>
        server.InScopeAsync(sp => sp.GetRequiredService<ChannelDbContext>().Set<InboundMessageRecord>().AsNoTracking().ToListAsync());
}
