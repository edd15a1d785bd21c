using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.WaChannel.Codes;
using WaIdentity.WaChannel.Persistence;
using WaIdentity.WaChannel.Sandbox;
using WaIdentity.WaChannel.Webhooks;
using static WaIdentity.Tests.Channel.ChannelTestKit;

namespace WaIdentity.Tests.Channel;

/// <summary>Forged, duplicated and out-of-order webhooks leave the right final state.</summary>
public sealed class WebhookTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_burst_of_signed_webhooks_is_answered_only_after_each_body_is_stored(DatabaseProvider provider)
    {
        // Bodies that arrive together are committed together (WebhookInbox); none may be answered and then lost, and
        // none may be left waiting when the writer hands over (a body queued just as the writer finds the queue empty).
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var server = await IdpTestServer.StartAsync(db);
        var before = await WebhookEventCountAsync(server);
        var bodies = Enumerable.Range(0, 200).Select(i => $$"""{"object":"whatsapp_business_account","entry":[],"burst":{{i}}}""").ToList();
        var bytes = bodies.Select(Encoding.UTF8.GetBytes).ToList();

        var answers = await Task.WhenAll(bytes.Select(b => Task.Run(async () =>
        {
            using var response = await PostCloudApiAsync(server, b, HubSignature.Sign(SandboxCredentials.AppSecret, b));
            return response.StatusCode;
        }))).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a));
        var stored = await server.InScopeAsync(sp => sp.GetRequiredService<ChannelDbContext>().Set<WebhookEvent>().AsNoTracking()
            .Where(w => w.Body.Contains("\"burst\"")).Select(w => w.Body).ToListAsync());
        Assert.Equal(bodies.Order(), stored.Order());
        Assert.Equal(before + bodies.Count, await WebhookEventCountAsync(server));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_forged_signature_is_401_and_changes_nothing(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var phone = NewPhone();
        await using var server = await IdpTestServer.StartAsync(db, Settings(("Channel:Sandbox:UnreachableNumbers:0", phone)));
        var handle = await SendAsync(server, phone, "555666", DeliveryPolicy.WhatsAppOnly);
        await StatusWhenAsync(server, handle, s => s.State == DeliveryState.Sent);
        var wamid = (await MessageAsync(server, handle.Id)).ProviderMessageId!;
        var storedBefore = await WebhookEventCountAsync(server);

        var body = StatusBody(wamid, handle, "delivered");
        using var forged = await PostCloudApiAsync(server, body, HubSignature.Sign("not-the-app-secret", body));
        using var unsigned = await PostCloudApiAsync(server, body, null);
        using var smsForged = await PostSmsAsync(server, "MessageSid=SMx&MessageStatus=delivered", "AAAA");

        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, smsForged.StatusCode);
        await QuietAsync(server);
        Assert.Equal(DeliveryState.Sent, (await StatusAsync(server, handle))!.State);
        Assert.Equal(storedBefore, await WebhookEventCountAsync(server));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_same_status_twice_is_one_change_and_a_late_sent_never_undoes_delivered(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var server = await IdpTestServer.StartAsync(db, Settings());
        var phone = NewPhone();
        var handle = await SendAsync(server, phone, "777888", DeliveryPolicy.WhatsAppOnly);
        var delivered = await StatusWhenAsync(server, handle, s => s.State == DeliveryState.Delivered);
        var wamid = (await MessageAsync(server, handle.Id)).ProviderMessageId!;

        foreach (var status in new[] { "delivered", "sent", "delivered" })
        {
            var body = StatusBody(wamid, handle, status);
            using var response = await PostCloudApiAsync(server, body, HubSignature.Sign(SandboxCredentials.AppSecret, body));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        await Eventually.ValueAsync(() => UnprocessedCountAsync(server), n => n == 0, Patience);

        var after = await StatusAsync(server, handle);
        Assert.Equal(DeliveryState.Delivered, after!.State);
        Assert.Equal(delivered!.UpdatedAt, after.UpdatedAt);
        var history = (await HistoryAsync(server, handle.Id)).Select(e => e.State).Order().ToList();
        Assert.Equal([DeliveryState.Queued, DeliveryState.Sent, DeliveryState.Delivered], history);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Read_arriving_before_delivered_ends_read(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var phone = NewPhone();
        await using var server = await IdpTestServer.StartAsync(db, Settings(("Channel:Sandbox:UnreachableNumbers:0", phone)));
        var handle = await SendAsync(server, phone, "121212", DeliveryPolicy.WhatsAppOnly);
        await StatusWhenAsync(server, handle, s => s.State == DeliveryState.Sent);
        var wamid = (await MessageAsync(server, handle.Id)).ProviderMessageId!;

        foreach (var status in new[] { "read", "delivered" })
        {
            var body = StatusBody(wamid, handle, status);
            using var response = await PostCloudApiAsync(server, body, HubSignature.Sign(SandboxCredentials.AppSecret, body));
        }
        await Eventually.ValueAsync(() => UnprocessedCountAsync(server), n => n == 0, Patience);

        Assert.Equal(DeliveryState.Read, (await StatusAsync(server, handle))!.State);
    }

    [Fact]
    public async Task The_verification_handshake_echoes_the_challenge_only_for_the_right_token()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, Settings(("Channel:WhatsApp:VerifyToken", "my-verify-token")));
        using var client = server.CreateClient();

        using var ok = await client.GetAsync("/channel/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=my-verify-token&hub.challenge=1158201444");
        using var wrong = await client.GetAsync("/channel/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1158201444");

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("1158201444", await ok.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
    }

    [Fact]
    public void Signatures_match_the_published_test_vectors()
    {
        Assert.Equal("sha256=0329a06b62cd16b33eb6792be8c60b158d89a2ee3a876fce9a881ebb488c0914", HubSignature.Sign("secret", "test"u8.ToArray()));
        var form = new Dictionary<string, string>
        {
            ["CallSid"] = "CA1234567890ABCDE", ["Caller"] = "+14158675309", ["Digits"] = "1234", ["From"] = "+14158675309", ["To"] = "+18005551212",
        };
        Assert.Equal("RSOYDt4T1cUTdK1PDd93/VVr8B8=", TwilioSignature.Sign("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", form));
        Assert.True(TwilioSignature.IsValid("12345", "https://mycompany.com:443/myapp.php?foo=1&bar=2", form.ToList(), "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
        Assert.False(TwilioSignature.IsValid("12346", "https://mycompany.com/myapp.php?foo=1&bar=2", form.ToList(), "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
    }

    private static async Task<HttpResponseMessage> PostSmsAsync(IdpTestServer server, string form, string signature)
    {
        using var client = server.CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Post, "/channel/webhooks/sms") { Content = new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded") };
        request.Headers.Add(TwilioSignature.Header, signature);
        return await client.SendAsync(request);
    }

    private static Task<int> WebhookEventCountAsync(IdpTestServer server) =>
        server.InScopeAsync(sp => sp.GetRequiredService<ChannelDbContext>().Set<WebhookEvent>().CountAsync());

    private static Task<int> UnprocessedCountAsync(IdpTestServer server) =>
        server.InScopeAsync(sp => sp.GetRequiredService<ChannelDbContext>().Set<WebhookEvent>().CountAsync(w => w.ProcessedAt == null));
}
