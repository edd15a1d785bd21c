using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using WaIdentity.WaChannel.Codes;
using WaIdentity.WaChannel.Configuration;
using WaIdentity.WaChannel.Outbox;

namespace WaIdentity.WaChannel.Providers.CloudApi;

/// <summary>
/// WhatsApp Cloud API: codes as the authentication template with the copy-code button, questions with reply buttons
/// as the question template or an interactive message (<see cref="QuestionBody"/>), other messages as text.
/// Every message carries its outbox id in biz_opaque_callback_data, which status webhooks echo back.
/// </summary>
internal sealed class CloudApiProvider(IHttpClientFactory http, ProviderEndpoints endpoints, IOptionsMonitor<ChannelOptions> options) : IMessageProvider
{
    public const string HttpClientName = "WaChannel.CloudApi";

    public ChannelKind Channel => ChannelKind.WhatsApp;

    public async Task<ProviderSendResult> SendAsync(OutgoingMessage message, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{endpoints.WhatsAppBaseUrl}/{endpoints.PhoneNumberId}/messages")
        {
            Content = JsonContent.Create(Body(message)),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", endpoints.AccessToken);
        using var response = await http.CreateClient(HttpClientName).SendAsync(request, ct);
        var json = await ReadJsonAsync(response, ct);
        if (response.IsSuccessStatusCode)
        {
            var id = json?["messages"]?[0]?["id"]?.GetValue<string>();
            if (id is null) return ProviderSendResult.Transient("bad_response", "WhatsApp gave an unexpected answer.");
            return ProviderSendResult.Accepted(id, json?["contacts"]?[0]?["wa_id"]?.GetValue<string>());
        }
        var code = json?["error"]?["code"]?.GetValue<int>() ?? 0;
        return CloudApiErrors.Classify(response.StatusCode, code);
    }

    private JsonObject Body(OutgoingMessage m)
    {
        var body = new JsonObject
        {
            ["messaging_product"] = "whatsapp",
            ["recipient_type"] = "individual",
            ["to"] = PhoneNumber.Digits(m.Phone),
            ["biz_opaque_callback_data"] = m.Id.ToString("N"),
        };
        if (m.Kind == MessageKind.Question && m.Buttons is { } buttons)
        {
            QuestionBody.Fill(body, m.Content, buttons, options.CurrentValue.WhatsApp.QuestionTemplate, m.Locale);
            return body;
        }
        if (m.Kind != MessageKind.Code)
        {
            body["type"] = "text";
            body["text"] = new JsonObject { ["preview_url"] = false, ["body"] = m.Content };
            return body;
        }
        body["type"] = "template";
        body["template"] = new JsonObject
        {
            ["name"] = options.CurrentValue.WhatsApp.TemplateName,
            ["language"] = new JsonObject { ["code"] = TemplateLanguage(m.Locale) },
            ["components"] = new JsonArray(
                new JsonObject { ["type"] = "body", ["parameters"] = new JsonArray(TextParameter(m.Content)) },
                new JsonObject { ["type"] = "button", ["sub_type"] = "url", ["index"] = "0", ["parameters"] = new JsonArray(TextParameter(m.Content)) }),
        };
        return body;
    }

    private string TemplateLanguage(string locale)
    {
        var languages = options.CurrentValue.WhatsApp.TemplateLanguages;
        var primary = locale.Split('-', '_')[0].ToLowerInvariant();
        return languages.TryGetValue(locale, out var exact) ? exact
            : languages.TryGetValue(primary, out var byPrimary) ? byPrimary
            : languages.GetValueOrDefault("en", "en_US");
    }

    private static JsonObject TextParameter(string text) => new() { ["type"] = "text", ["text"] = text };

    private static async Task<JsonNode?> ReadJsonAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try { return JsonNode.Parse(await response.Content.ReadAsStringAsync(ct)); }
        catch (JsonException) { return null; }
    }
}

/// <summary>Meta's Cloud API error codes sorted into retry or not; docs/channel.md (Retries) tells operators which are retried.</summary>
internal static class CloudApiErrors
{
    private static readonly HashSet<int> TransientCodes = [1, 2, 4, 80007, 130429, 131000, 131016, 131056, 131057];

    public static ProviderSendResult Classify(HttpStatusCode status, int code)
    {
        if ((int)status >= 500 || status == HttpStatusCode.TooManyRequests || TransientCodes.Contains(code))
            return ProviderSendResult.Transient(code == 0 ? $"http_{(int)status}" : code.ToString(), "WhatsApp is busy; the message will be retried.");
        return code switch
        {
            131026 => ProviderSendResult.Permanent("131026", "This number cannot receive WhatsApp messages."),
            100 or 131008 or 131009 => ProviderSendResult.Permanent(code.ToString(), "The phone number is not valid for WhatsApp."),
            131047 => ProviderSendResult.Permanent("131047", "WhatsApp only allows this message after the user wrote in the last 24 hours."),
            0 or 190 or 10 => ProviderSendResult.Permanent(code == 0 ? $"http_{(int)status}" : code.ToString(), "WhatsApp is not set up correctly on this server."),
            _ => ProviderSendResult.Permanent(code.ToString(), "WhatsApp could not send the message."),
        };
    }
}
