using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WaIdentity.WaChannel.Configuration;
using WaIdentity.WaChannel.Persistence;
using WaIdentity.WaChannel.Providers;
using WaIdentity.WaChannel.Webhooks;

namespace WaIdentity.WaChannel.Sandbox;

/// <summary>
/// The emulators' outgoing side: posts real, signed webhooks back to the app over HTTP, as Meta and Twilio do:
/// statuses for sent messages (after a delay) and inbound messages from simulated phones.
/// </summary>
internal sealed class SandboxStatusSender(
    IHttpClientFactory http, ProviderEndpoints endpoints, IServiceScopeFactory scopes, IHostApplicationLifetime lifetime,
    IOptions<ChannelOptions> options, ILogger<SandboxStatusSender> log)
{
    public const string HttpClientName = "WaChannel.SandboxWebhooks";

    /// <param name="statuses">In order, each "status" or "status:errorCode".</param>
    public void Schedule(string messageId, params string[] statuses)
    {
        var delay = TimeSpan.FromMilliseconds(options.Value.Sandbox.StatusDelayMilliseconds);
        var stopping = lifetime.ApplicationStopping;
        _ = Task.Run(async () =>
        {
            try
            {
                for (var i = 0; i < statuses.Length; i++)
                {
                    await Task.Delay(delay, stopping);
                    var parts = statuses[i].Split(':');
                    // A report the app did not take stays pending: the next start posts it again.
                    if (!await SendStatusAsync(messageId, parts[0], parts.Length > 1 ? parts[1] : null, stopping)) return;
                    await MarkPostedAsync(messageId, statuses[(i + 1)..], stopping);
                }
            }
            catch (Exception e) when (e is OperationCanceledException || !stopping.IsCancellationRequested)
            {
                if (e is not OperationCanceledException) log.LogWarning(e, "Sandbox status webhook for {MessageId} failed", messageId);
            }
        }, CancellationToken.None);
    }

    private async Task MarkPostedAsync(string messageId, string[] rest, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var pending = rest.Length > 0 ? string.Join(',', rest) : null;
        await scope.ServiceProvider.GetRequiredService<ChannelDbContext>().Set<SandboxMessage>().Where(m => m.Id == messageId)
            .ExecuteUpdateAsync(u => u.SetProperty(m => m.PendingStatuses, pending), ct);
    }

    public async Task<bool> SendStatusAsync(string messageId, string status, string? errorCode, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ChannelDbContext>();
        var message = await db.Set<SandboxMessage>().FirstOrDefaultAsync(m => m.Id == messageId && !m.Inbound, ct);
        if (message is null) return false;
        message.State = status;
        await db.SaveChangesAsync(ct);
        using var response = message.Channel == "sms"
            ? await PostSmsStatusAsync(message, status, errorCode, ct)
            : await PostCloudApiAsync(CloudApiStatus(message, status, errorCode), ct);
        return response.IsSuccessStatusCode;
    }

    public Task<string> SendInboundAsync(string phone, string text, string? profileName, CancellationToken ct) =>
        PostInboundAsync(phone, text, profileName, new JsonObject { ["type"] = "text", ["text"] = new JsonObject { ["body"] = text } }, ct);

    /// <summary>
    /// The simulated phone presses reply button <paramref name="index"/> under message <paramref name="messageId"/>: the
    /// webhook the Cloud API sends then, type "button" (button.payload, button.text) for a template's quick reply or
    /// "interactive" (interactive.button_reply.id, .title) for an interactive message, with the pressed message as
    /// context. Null when the message or the button does not exist.
    /// </summary>
    public async Task<string?> PressButtonAsync(string messageId, int index, CancellationToken ct)
    {
        SandboxMessage? message;
        await using (var scope = scopes.CreateAsyncScope())
            message = await scope.ServiceProvider.GetRequiredService<ChannelDbContext>().Set<SandboxMessage>().AsNoTracking()
                .FirstOrDefaultAsync(m => m.Id == messageId && !m.Inbound && m.Channel == "whatsapp", ct);
        if (SandboxButtons.FromJson(message?.Buttons) is not { } buttons || index < 0 || index >= buttons.Buttons.Count) return null;
        var pressed = buttons.Buttons[index];
        var content = buttons.Reply == SandboxButtons.TemplateReply
            ? new JsonObject { ["type"] = "button", ["button"] = new JsonObject { ["payload"] = pressed.Payload, ["text"] = pressed.Title } }
            : new JsonObject
            {
                ["type"] = "interactive",
                ["interactive"] = new JsonObject
                {
                    ["type"] = "button_reply", ["button_reply"] = new JsonObject { ["id"] = pressed.Payload, ["title"] = pressed.Title },
                },
            };
        content["context"] = new JsonObject { ["from"] = SandboxCredentials.BusinessNumber, ["id"] = messageId };
        return await PostInboundAsync(message!.Phone, pressed.Title, null, content, ct);
    }

    /// <summary>Records what the phone sent (the dev inbox shows it; it opens the 24-hour window) and posts its webhook.</summary>
    private async Task<string> PostInboundAsync(string phone, string text, string? profileName, JsonObject content, CancellationToken ct)
    {
        var id = "wamid." + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ChannelDbContext>();
            db.Add(new SandboxMessage { Id = id, Channel = "whatsapp", Phone = phone, Inbound = true, Text = text, State = "received", CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync(ct);
        }
        var waId = PhoneNumber.Digits(phone);
        var value = Envelope();
        value["contacts"] = new JsonArray(new JsonObject { ["profile"] = new JsonObject { ["name"] = profileName ?? "" }, ["wa_id"] = waId });
        var message = new JsonObject { ["from"] = waId, ["id"] = id, ["timestamp"] = Now() };
        foreach (var (key, node) in content.ToList())
        {
            content.Remove(key);
            message[key] = node;
        }
        value["messages"] = new JsonArray(message);
        using var response = await PostCloudApiAsync(value, ct);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"The app answered the inbound webhook with {(int)response.StatusCode}.");
        return id;
    }

    private static JsonObject CloudApiStatus(SandboxMessage message, string status, string? errorCode)
    {
        var category = message.Code is not null ? "authentication"
            : SandboxButtons.FromJson(message.Buttons)?.Reply == SandboxButtons.TemplateReply ? "utility" : "service";
        var free = category == "service";
        var item = new JsonObject
        {
            ["id"] = message.Id, ["status"] = status, ["timestamp"] = Now(), ["recipient_id"] = PhoneNumber.Digits(message.Phone),
            ["pricing"] = new JsonObject
            {
                ["billable"] = !free, ["pricing_model"] = "PMP",
                ["type"] = free ? "free_customer_service" : "regular", ["category"] = category,
            },
        };
        if (message.Correlation is not null) item["biz_opaque_callback_data"] = message.Correlation;
        if (errorCode is not null)
            item["errors"] = new JsonArray(new JsonObject { ["code"] = int.Parse(errorCode), ["title"] = "Message undeliverable", ["message"] = "Message undeliverable" });
        var value = Envelope();
        value["statuses"] = new JsonArray(item);
        return value;
    }

    private static JsonObject Envelope() => new()
    {
        ["messaging_product"] = "whatsapp",
        ["metadata"] = new JsonObject { ["display_phone_number"] = SandboxCredentials.BusinessNumber, ["phone_number_id"] = SandboxCredentials.PhoneNumberId },
    };

    private async Task<HttpResponseMessage> PostCloudApiAsync(JsonObject value, CancellationToken ct)
    {
        var body = new JsonObject
        {
            ["object"] = "whatsapp_business_account",
            ["entry"] = new JsonArray(new JsonObject
            {
                ["id"] = "102290129340398",
                ["changes"] = new JsonArray(new JsonObject { ["field"] = "messages", ["value"] = value }),
            }),
        };
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoints.ListeningAddress() + WebhookPaths.WhatsApp)
        {
            Content = new ByteArrayContent(bytes),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add(HubSignature.Header, HubSignature.Sign(endpoints.AppSecret, bytes));
        return await PostAsProviderAsync(request, ct);
    }

    private async Task<HttpResponseMessage> PostSmsStatusAsync(SandboxMessage message, string status, string? errorCode, CancellationToken ct)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("MessageSid", message.Id), new("SmsSid", message.Id), new("MessageStatus", status), new("SmsStatus", status),
            new("AccountSid", endpoints.SmsAccountSid), new("From", endpoints.SmsFrom), new("To", message.Phone), new("ApiVersion", "2010-04-01"),
        };
        if (errorCode is not null) form.Add(new("ErrorCode", errorCode));
        var url = message.CallbackUrl ?? endpoints.SmsStatusCallbackUrl;
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add(TwilioSignature.Header, TwilioSignature.Sign(endpoints.SmsAuthToken, url, form));
        return await PostAsProviderAsync(request, ct);
    }

    /// <summary>
    /// Meta and Twilio call with no trace context of ours, so neither does the emulator: its webhook starts a trace of
    /// its own instead of continuing the send it reports on (the status is scheduled from inside that send's span).
    /// The change stays in this call: an async method's changes to the ambient context do not reach its caller.
    /// </summary>
    private async Task<HttpResponseMessage> PostAsProviderAsync(HttpRequestMessage request, CancellationToken ct)
    {
        Activity.Current = null;
        return await http.CreateClient(HttpClientName).SendAsync(request, ct);
    }

    private static string Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
}
