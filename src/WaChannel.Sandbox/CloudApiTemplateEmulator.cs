using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using WaIdentity.WaChannel.Configuration;
using WaIdentity.WaChannel.Providers;

namespace WaIdentity.WaChannel.Sandbox;

/// <summary>
/// The emulator's message templates, in memory like the rest of its account: the configured authentication template
/// in every configured language except Channel:Sandbox:MissingTemplateLanguages, and the configured question template
/// (Channel:WhatsApp:QuestionTemplate) in its languages, worded as <see cref="SandboxQuestionTemplate"/>. Sends check
/// them (132001 when absent).
/// </summary>
internal sealed class SandboxTemplates(IOptions<ChannelOptions> options)
{
    private readonly Lazy<ConcurrentDictionary<(string Name, string Language), SandboxTemplate>> _store = new(() =>
    {
        var o = options.Value;
        var store = new ConcurrentDictionary<(string Name, string Language), SandboxTemplate>(
            o.WhatsApp.TemplateLanguages.Values.Except(o.Sandbox.MissingTemplateLanguages)
                .Select(l => KeyValuePair.Create((o.WhatsApp.TemplateName, l), SandboxTemplate.Authentication)));
        var question = o.WhatsApp.QuestionTemplate;
        if (question.IsConfigured)
            foreach (var language in question.Languages.Values.Except(o.Sandbox.MissingTemplateLanguages))
                store.TryAdd((question.Name, language), SandboxQuestionTemplate.For(language));
        return store;
    });

    public bool Has(string name, string language) => _store.Value.ContainsKey((name, language));

    public SandboxTemplate? Find(string name, string language) => _store.Value.GetValueOrDefault((name, language));

    public IEnumerable<(string Name, string Language, string Status, string Category)> List(string? name) =>
        _store.Value.Where(t => name is null || t.Key.Name == name).Select(t => (t.Key.Name, t.Key.Language, "APPROVED", t.Value.Category));

    /// <summary>Authentication templates are approved at once here (Meta usually takes minutes).</summary>
    public bool TryAdd(string name, string language) => _store.Value.TryAdd((name, language), SandboxTemplate.Authentication);
}

/// <summary>A template as the emulated business account holds it: an authentication template (copy code, no body of its
/// own), or a body with {{1}}... placeholders and quick-reply button labels.</summary>
internal sealed record SandboxTemplate(string Category, string? Body, IReadOnlyList<string> QuickReplies)
{
    public static readonly SandboxTemplate Authentication = new("AUTHENTICATION", null, []);
}

/// <summary>GET and POST /sandbox/whatsapp/{version}/{wabaId}/message_templates, as the Graph API answers them.</summary>
internal static class CloudApiTemplateEmulator
{
    public static IResult List(string wabaId, string? name, HttpRequest request, ProviderEndpoints endpoints, SandboxTemplates templates)
    {
        if (Refused(wabaId, request, endpoints) is { } refused) return refused;
        var data = new JsonArray(templates.List(name).Select(t => (JsonNode)new JsonObject
        {
            ["name"] = t.Name, ["language"] = t.Language, ["status"] = t.Status, ["category"] = t.Category,
            ["id"] = Id(t.Name, t.Language),
        }).ToArray());
        return Results.Json(new JsonObject { ["data"] = data, ["paging"] = new JsonObject() });
    }

    public static async Task<IResult> CreateAsync(string wabaId, HttpRequest request, ProviderEndpoints endpoints, SandboxTemplates templates, CancellationToken ct)
    {
        if (Refused(wabaId, request, endpoints) is { } refused) return refused;
        JsonNode? body;
        try { body = JsonNode.Parse(await new StreamReader(request.Body).ReadToEndAsync(ct)); }
        catch (JsonException) { return CloudApiEmulator.Error(400, 100, "OAuthException", "(#100) Invalid parameter"); }
        var name = body?["name"]?.GetValue<string>();
        var language = body?["language"]?.GetValue<string>();
        var buttons = body?["components"]?.AsArray().FirstOrDefault(c => c?["type"]?.GetValue<string>() == "buttons")?["buttons"]?.AsArray();
        var copyCode = buttons?.Any(b => b?["type"]?.GetValue<string>() == "otp" && b["otp_type"]?.GetValue<string>() == "copy_code") == true;
        if (name is null || language is null || !string.Equals(body!["category"]?.GetValue<string>(), "AUTHENTICATION", StringComparison.OrdinalIgnoreCase) || !copyCode)
            return CloudApiEmulator.Error(400, 100, "OAuthException", "(#100) Invalid parameter");
        if (!templates.TryAdd(name, language))
            return CloudApiEmulator.Error(400, 100, "OAuthException", "(#100) Content in this language already exists");
        return Results.Json(new JsonObject { ["id"] = Id(name, language), ["status"] = "APPROVED", ["category"] = "AUTHENTICATION" });
    }

    private static IResult? Refused(string wabaId, HttpRequest request, ProviderEndpoints endpoints)
    {
        if (!CloudApiEmulator.BearerMatches(request, endpoints.AccessToken))
            return CloudApiEmulator.Error(401, 190, "OAuthException", "Invalid OAuth access token - Cannot parse access token");
        return wabaId == endpoints.BusinessAccountId ? null
            : CloudApiEmulator.Error(400, 100, "GraphMethodException", "Unsupported get request. Object does not exist");
    }

    private static string Id(string name, string language) =>
        Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{name}/{language}")))[..15];
}
