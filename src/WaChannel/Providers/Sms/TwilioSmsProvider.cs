using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using WaIdentity.WaChannel.Codes;
using WaIdentity.WaChannel.Configuration;
using WaIdentity.WaChannel.Outbox;

namespace WaIdentity.WaChannel.Providers.Sms;

/// <summary>Twilio-style Messages API: form-encoded POST with Basic auth and a StatusCallback to our webhook.</summary>
internal sealed class TwilioSmsProvider(IHttpClientFactory http, ProviderEndpoints endpoints, IOptions<ChannelOptions> options) : IMessageProvider
{
    public const string HttpClientName = "WaChannel.Sms";

    public ChannelKind Channel => ChannelKind.Sms;

    public async Task<ProviderSendResult> SendAsync(OutgoingMessage message, CancellationToken ct)
    {
        var sid = endpoints.SmsAccountSid;
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{endpoints.SmsBaseUrl}/2010-04-01/Accounts/{Uri.EscapeDataString(sid)}/Messages.json")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["To"] = message.Phone,
                ["From"] = endpoints.SmsFrom,
                ["Body"] = Text(message),
                ["StatusCallback"] = endpoints.SmsStatusCallbackUrl,
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{sid}:{endpoints.SmsAuthToken}")));
        using var response = await http.CreateClient(HttpClientName).SendAsync(request, ct);
        JsonNode? json;
        try { json = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct)); }
        catch (JsonException) { json = null; }
        if (response.IsSuccessStatusCode)
            return json?["sid"]?.GetValue<string>() is { } smsId
                ? ProviderSendResult.Accepted(smsId, null)
                : ProviderSendResult.Transient("bad_response", "The SMS provider gave an unexpected answer.");
        return Classify(response.StatusCode, json?["code"]?.GetValue<int>() ?? 0);
    }

    private string Text(OutgoingMessage m)
    {
        if (m.Kind != MessageKind.Code) return m.Content;
        var texts = options.Value.Sms.CodeTexts;
        var template = texts.GetValueOrDefault(m.Locale) ?? texts.GetValueOrDefault(m.Locale.Split('-', '_')[0]) ?? texts.GetValueOrDefault("en") ?? "{0}";
        return string.Format(System.Globalization.CultureInfo.InvariantCulture, template, m.Content);
    }

    public static ProviderSendResult Classify(HttpStatusCode status, int code)
    {
        if ((int)status >= 500 || status == HttpStatusCode.TooManyRequests || code == 20429)
            return ProviderSendResult.Transient(code == 0 ? $"http_{(int)status}" : code.ToString(), "The SMS provider is busy; the message will be retried.");
        return code switch
        {
            21211 or 21614 or 21635 => ProviderSendResult.Permanent(code.ToString(), "This number cannot receive SMS."),
            21610 => ProviderSendResult.Permanent("21610", "This number has opted out of SMS."),
            20003 => ProviderSendResult.Permanent("20003", "SMS is not set up correctly on this server."),
            _ => ProviderSendResult.Permanent(code == 0 ? $"http_{(int)status}" : code.ToString(), "The SMS could not be sent."),
        };
    }
}
