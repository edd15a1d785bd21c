using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using WaIdentity.WaChannel.Configuration;

namespace WaIdentity.WaChannel.Providers.CloudApi;

/// <param name="Status">Meta's status (APPROVED, PENDING, REJECTED, PAUSED, ...) or <see cref="AuthenticationTemplates.Missing"/>.</param>
public sealed record TemplateStatus(string Locale, string Language, string Status);

/// <summary>
/// The copy-code authentication template (Channel:WhatsApp:TemplateName, one translation per configured language) on
/// the business account: which translations exist, and creating the missing ones (GET/POST /{waba-id}/message_templates).
/// </summary>
public sealed class AuthenticationTemplates(IHttpClientFactory http, ProviderEndpoints endpoints, IOptionsMonitor<ChannelOptions> options)
{
    public const string Missing = "MISSING";

    public async Task<IReadOnlyList<TemplateStatus>> GetStatusAsync(CancellationToken ct)
    {
        var wa = options.CurrentValue.WhatsApp;
        var url = $"{endpoints.WhatsAppBaseUrl}/{endpoints.BusinessAccountId}/message_templates?name={Uri.EscapeDataString(wa.TemplateName)}&fields=name,language,status,category&limit=100";
        var json = await SendAsync(new HttpRequestMessage(HttpMethod.Get, url), ct);
        var found = (json["data"]?.AsArray() ?? [])
            .Where(t => t?["name"]?.GetValue<string>() == wa.TemplateName)
            .ToDictionary(t => t!["language"]!.GetValue<string>(), t => t!["status"]?.GetValue<string>() ?? "UNKNOWN");
        return wa.TemplateLanguages.Select(l => new TemplateStatus(l.Key, l.Value, found.GetValueOrDefault(l.Value, Missing))).ToList();
    }

    /// <summary>Creates each missing translation; returns the languages created.</summary>
    public async Task<IReadOnlyList<string>> CreateMissingAsync(int codeLifetimeSeconds, CancellationToken ct)
    {
        var created = new List<string>();
        foreach (var missing in (await GetStatusAsync(ct)).Where(t => t.Status == Missing))
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"{endpoints.WhatsAppBaseUrl}/{endpoints.BusinessAccountId}/message_templates")
            {
                Content = JsonContent.Create(Body(options.CurrentValue.WhatsApp.TemplateName, missing.Language, codeLifetimeSeconds)),
            };
            await SendAsync(request, ct);
            created.Add(missing.Language);
        }
        return created;
    }

    /// <summary>Meta's copy-code authentication template; its time-to-live is at most the code's lifetime (30-900 s).</summary>
    public static JsonObject Body(string name, string language, int codeLifetimeSeconds) => new()
    {
        ["name"] = name,
        ["language"] = language,
        ["category"] = "AUTHENTICATION",
        ["message_send_ttl_seconds"] = Math.Clamp(codeLifetimeSeconds, 30, 900),
        ["components"] = new JsonArray(
            new JsonObject { ["type"] = "body", ["add_security_recommendation"] = true },
            new JsonObject { ["type"] = "footer", ["code_expiration_minutes"] = Math.Clamp(codeLifetimeSeconds / 60, 1, 90) },
            new JsonObject
            {
                ["type"] = "buttons",
                ["buttons"] = new JsonArray(new JsonObject { ["type"] = "otp", ["otp_type"] = "copy_code" }),
            }),
    };

    private async Task<JsonNode> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        using (request)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", endpoints.AccessToken);
            using var response = await http.CreateClient(CloudApiProvider.HttpClientName).SendAsync(request, ct);
            JsonNode? json = null;
            try { json = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct)); } catch (System.Text.Json.JsonException) { }
            if (response.IsSuccessStatusCode && json is not null) return json;
            // Meta's error message is meant for developers and holds no credential; the token never appears in it.
            var message = json?["error"]?["message"]?.GetValue<string>() ?? $"HTTP {(int)response.StatusCode}";
            throw new CloudApiException(message);
        }
    }
}

public sealed class CloudApiException(string message) : Exception(message);
