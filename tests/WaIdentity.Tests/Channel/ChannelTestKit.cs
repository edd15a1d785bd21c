using System.Runtime.CompilerServices;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WaIdentity.IdP.Gateway;
using WaIdentity.IdP.Jobs;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.WaChannel.Codes;
using WaIdentity.WaChannel.Outbox;
using WaIdentity.WaChannel.Persistence;
using WaIdentity.WaChannel.Sandbox;
using WaIdentity.WaChannel.Webhooks;

namespace WaIdentity.Tests.Channel;

/// <summary>What the channel tests do over and over: send a code through ICodeSender, read the dev inbox over HTTP, wait for a state.</summary>
internal static class ChannelTestKit
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Fast settings for tests: short polls, quick emulator webhooks, short retry delays. A code's WhatsApp try is not
    /// cut at the shipped 5 s: on a machine running several suites an emulator call can take that long, and the code
    /// would go by SMS where a test expects WhatsApp. For the same reason a provider call is cut only after 50 s (the
    /// shipped 10 s made a loaded run's WhatsApp call an unknown outcome). The tests of those bounds set them back.
    /// </summary>
    public static Dictionary<string, string?> Settings(params (string Key, string? Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Channel:Dispatch:PollIntervalMilliseconds"] = "200",
            ["Channel:Dispatch:RetryBaseMilliseconds"] = "100",
            ["Channel:Sandbox:StatusDelayMilliseconds"] = "100",
            ["Channel:Fallback:CodeWhatsAppSeconds"] = "60",
            ["Channel:Dispatch:SendTimeoutSeconds"] = "50",
        };
        foreach (var (k, v) in extra) settings[k] = v;
        return settings;
    }

    public static string NewPhone() => "+62812" + Random.Shared.NextInt64(10_000_000, 99_999_999);

    /// <summary>Sends a code the channel must accept; a refusal fails the test with the channel's reason.</summary>
    public static async Task<MessageHandle> SendAsync(IdpTestServer server, string phone, string code, DeliveryPolicy policy = DeliveryPolicy.WhatsAppOrSms, string locale = "en")
    {
        var sent = await TrySendAsync(server, phone, code, policy, locale);
        Assert.True(sent.Queued, $"The channel refused the code: {sent.Refusal?.Code} {sent.Refusal?.Message}");
        return sent.Handle;
    }

    /// <summary>Sends a code the channel must refuse, and returns its refusal.</summary>
    public static async Task<SendRefusal> RefusedSendAsync(IdpTestServer server, string phone, string code) =>
        (await TrySendAsync(server, phone, code, DeliveryPolicy.WhatsAppOrSms, "en")).Refusal ?? throw new Xunit.Sdk.XunitException("The channel queued a code it should refuse.");

    private static Task<SendResult> TrySendAsync(IdpTestServer server, string phone, string code, DeliveryPolicy policy, string locale) =>
        server.InScopeAsync(sp => sp.GetRequiredService<ICodeSender>().SendCodeAsync(new CodeRequest(phone, code, "login", locale, policy)));

    public static Task<DeliveryStatus?> StatusAsync(IdpTestServer server, MessageHandle handle) =>
        server.InScopeAsync(sp => sp.GetRequiredService<ICodeSender>().GetStatusAsync(handle));

    public static Task<DeliveryStatus?> StatusWhenAsync(IdpTestServer server, MessageHandle handle, Func<DeliveryStatus, bool> done,
        [CallerArgumentExpression(nameof(done))] string condition = "", [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Eventually.ValueAsync(() => StatusAsync(server, handle), s => s is not null && done(s), Patience, condition, file, line);

    public sealed record InboxItem(string Id, string? MessageId, string To, string Channel, string Text, string? Code, string State, string CreatedAt);

    public static async Task<List<InboxItem>> InboxAsync(IdpTestServer server, string phone)
    {
        using var client = server.CreateClient();
        var items = await client.GetFromJsonAsync<List<InboxItem>>($"/dev/inbox/api/messages?to={Uri.EscapeDataString(phone)}", new JsonSerializerOptions(JsonSerializerDefaults.Web));
        return items!;
    }

    public static Task<List<InboxItem>> InboxWhenAsync(IdpTestServer server, string phone, Func<List<InboxItem>, bool> done,
        [CallerArgumentExpression(nameof(done))] string condition = "", [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Eventually.ValueAsync(() => InboxAsync(server, phone), done, Patience, condition, file, line);

    public static async Task FailNextAsync(IdpTestServer server, string channel, int count, string kind)
    {
        using var client = server.CreateClient();
        (await client.PostAsJsonAsync("/dev/inbox/api/fail-next", new { channel, count, kind })).EnsureSuccessStatusCode();
    }

    public static Task<OutboundMessage> MessageAsync(IdpTestServer server, Guid id) =>
        server.InScopeAsync(sp => sp.GetRequiredService<ChannelDbContext>().Set<OutboundMessage>().AsNoTracking().FirstAsync(m => m.Id == id));

    public static Task<List<OutboundMessage>> MessagesToAsync(IdpTestServer server, string phone) =>
        server.InScopeAsync(sp => sp.GetRequiredService<ChannelDbContext>().Set<OutboundMessage>().AsNoTracking().Where(m => m.Phone == phone).ToListAsync());

    public static Task<List<MessageStatusEvent>> HistoryAsync(IdpTestServer server, Guid id) =>
        server.InScopeAsync(sp => sp.GetRequiredService<ChannelDbContext>().Set<MessageStatusEvent>().AsNoTracking().Where(e => e.MessageId == id).ToListAsync());

    /// <summary>
    /// Waits until the channel has no work left that could still change what a test asserts next: nothing in the outbox
    /// due within two seconds or in flight, no webhook (status or inbound message) left to process soon, no sandbox
    /// report still to post, no callback to an app due. Before asserting that something did NOT happen. Two quiet looks
    /// in a row: a report moves from the sandbox to the webhook table between two reads.
    /// </summary>
    public static async Task QuietAsync(IdpTestServer server)
    {
        var quietLooks = 0;
        await Eventually.ValueAsync(async () => quietLooks = await IsQuietAsync(server) ? quietLooks + 1 : 0, n => n >= 2, Patience);
    }

    /// <summary>Waits until a recurring job has finished <paramref name="runs"/> runs begun from now: it had its chances to act.</summary>
    public static async Task JobRunsAsync(IdpTestServer server, string jobName, int runs)
    {
        var since = DateTimeOffset.UtcNow;
        await Eventually.ValueAsync(() => server.InScopeAsync(sp => sp.GetRequiredService<IdpDbContext>().Set<JobRun>()
            .CountAsync(r => r.JobName == jobName && r.StartedAt > since && r.FinishedAt != null)), n => n >= runs, Patience);
    }

    private static Task<bool> IsQuietAsync(IdpTestServer server) => server.InScopeAsync(async sp =>
    {
        var db = sp.GetRequiredService<ChannelDbContext>();
        var now = DateTimeOffset.UtcNow;
        var soon = now.AddSeconds(2);
        var sandboxOwes = await db.Set<SandboxMessage>().AnyAsync(m => m.PendingStatuses != null && !m.Inbound);
        var outboxBusy = await db.Set<OutboundMessage>()
            .AnyAsync(m => m.Dispatch == DispatchState.Pending && (m.NextAttemptAt <= soon || m.LeaseUntil > now));
        var webhooksBusy = await db.Set<WebhookEvent>().AnyAsync(w => w.ProcessedAt == null && (w.LeaseUntil == null || w.LeaseUntil <= soon));
        var appCallbacksBusy = await sp.GetRequiredService<IdpDbContext>().Set<WebhookDelivery>()
            .AnyAsync(d => d.State == WebhookState.Pending && d.NextAttemptAt <= soon);
        return !sandboxOwes && !outboxBusy && !webhooksBusy && !appCallbacksBusy;
    });

    /// <summary>
    /// Posts a signed Cloud API webhook, as Meta does, carrying one message from <paramref name="phone"/> sent at
    /// <paramref name="sentAt"/>. <paramref name="members"/> are the message's own JSON members besides "from", "id"
    /// and "timestamp", e.g. <c>"type":"text","text":{"body":"YES"}</c>.
    /// </summary>
    public static async Task PostInboundAsync(IdpTestServer server, string phone, DateTimeOffset sentAt, string members, string name = "Ana")
    {
        var digits = phone.TrimStart('+');
        var body = System.Text.Encoding.UTF8.GetBytes($$$"""
            {"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp",
            "metadata":{"display_phone_number":"{{{SandboxCredentials.BusinessNumber}}}","phone_number_id":"{{{SandboxCredentials.PhoneNumberId}}}"},
            "contacts":[{"profile":{"name":"{{{name}}}"},"wa_id":"{{{digits}}}"}],
            "messages":[{"from":"{{{digits}}}","id":"wamid.{{{Guid.NewGuid():N}}}","timestamp":"{{{sentAt.ToUnixTimeSeconds()}}}",{{{members}}}}]}}]}]}
            """);
        using var client = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/channel/webhooks/whatsapp") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add(HubSignature.Header, HubSignature.Sign(SandboxCredentials.AppSecret, body));
        using var response = await client.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>
    /// A Cloud API status webhook body for one message. <paramref name="marker"/>, when given, is an extra member the
    /// handler ignores, by which a test finds the events its own bodies became.
    /// </summary>
    public static byte[] StatusBody(string wamid, MessageHandle handle, string status, string? marker = null)
    {
        var test = marker is null ? "" : $"\"test\":\"{marker}\",";
        return System.Text.Encoding.UTF8.GetBytes($$$"""
            {"object":"whatsapp_business_account",{{{test}}}"entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp",
            "metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},
            "statuses":[{"id":"{{{wamid}}}","status":"{{{status}}}","timestamp":"{{{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}}}","recipient_id":"62812","biz_opaque_callback_data":"{{{handle}}}"}]}}]}]}
            """);
    }

    /// <summary>Posts a Cloud API webhook body with the given X-Hub-Signature-256 (none when null).</summary>
    public static async Task<HttpResponseMessage> PostCloudApiAsync(IdpTestServer server, byte[] body, string? signature)
    {
        using var client = server.CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Post, "/channel/webhooks/whatsapp") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        if (signature is not null) request.Headers.Add(HubSignature.Header, signature);
        return await client.SendAsync(request);
    }

    /// <summary>Waits until every webhook stored so far has been handled (each subscriber ran for each message).</summary>
    public static Task InboundProcessedAsync(IdpTestServer server) =>
        Eventually.ValueAsync(
            () => server.InScopeAsync(sp => sp.GetRequiredService<ChannelDbContext>().Set<WebhookEvent>().CountAsync(w => w.ProcessedAt == null)),
            n => n == 0, Patience);
}
