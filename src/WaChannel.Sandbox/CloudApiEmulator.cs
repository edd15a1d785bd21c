using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using WaIdentity.WaChannel.Configuration;
using WaIdentity.WaChannel.Persistence;
using WaIdentity.WaChannel.Providers;

namespace WaIdentity.WaChannel.Sandbox;

/// <summary>
/// POST /sandbox/whatsapp/{version}/{phoneNumberId}/messages: checks a send as the Cloud API does (Bearer token,
/// messaging_product, E.164 recipient, the template's name, language and shape (copy code, or body parameters and
/// quick-reply payloads), the 24 h window for text and interactive messages)
/// and answers with its success or error envelope; statuses follow as signed webhooks.
/// </summary>
internal static partial class CloudApiEmulator
{
    public const string Prefix = "/sandbox/whatsapp";

    public static async Task<IResult> SendAsync(
        string phoneNumberId, HttpRequest request, ProviderEndpoints endpoints, SandboxFaults faults, ChannelDbContext db,
        SandboxStatusSender statuses, IOptions<ChannelOptions> options, SandboxTemplates templates, IHostApplicationLifetime lifetime, CancellationToken ct)
    {
        if (!BearerMatches(request, endpoints.AccessToken)) return Error(401, 190, "OAuthException", "Invalid OAuth access token - Cannot parse access token");
        if (phoneNumberId != endpoints.PhoneNumberId) return Error(400, 100, "GraphMethodException", "Unsupported post request. Object does not exist");
        JsonNode? body;
        try { body = JsonNode.Parse(await new StreamReader(request.Body).ReadToEndAsync(ct)); }
        catch (JsonException) { return Error(400, 100, "OAuthException", "(#100) Invalid parameter"); }
        if (body?["messaging_product"]?.GetValue<string>() != "whatsapp") return Error(400, 100, "OAuthException", "(#100) The parameter messaging_product is required.");
        var to = body["to"]?.GetValue<string>() ?? "";
        var phone = PhoneNumber.FromDigits(to);
        var sandbox = options.Value.Sandbox;
        if (phone is null || sandbox.InvalidNumbers.Contains(phone)) return Error(400, 100, "OAuthException", "(#100) Invalid parameter");

        var fault = faults.Take("whatsapp");
        if (fault == "server-error") return Error(500, 131000, "OAuthException", "(#131000) Something went wrong");
        if (fault == "rate-limit") return Error(429, 130429, "OAuthException", "(#130429) Rate limit hit");
        if (fault == "slow")
        {
            // Carries on when the caller gives up: the message is accepted (and reported) all the same.
            await Task.Delay(sandbox.SlowResponseMilliseconds, lifetime.ApplicationStopping);
            ct = lifetime.ApplicationStopping;
        }

        var (text, code, buttons, problem) = body["type"]?.GetValue<string>() switch
        {
            "template" => ReadTemplate(body["template"], templates),
            "text" => await ReadTextAsync(body, phone, db, ct),
            "interactive" => await ReadInteractiveAsync(body, phone, db, ct),
            _ => new Read(Problem: Error(400, 100, "OAuthException", "(#100) Invalid parameter: type")),
        };
        if (problem is not null) return problem;

        var id = "wamid." + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
        string[] reports = fault == "undeliverable" || sandbox.NoWhatsAppNumbers.Contains(phone) ? ["failed:131026"]
            : sandbox.UnreachableNumbers.Contains(phone) ? ["sent"] : ["sent", "delivered"];
        db.Add(new SandboxMessage
        {
            Id = id, Channel = "whatsapp", Phone = phone, Text = text!, Code = code, State = "accepted", CreatedAt = DateTimeOffset.UtcNow,
            Correlation = body["biz_opaque_callback_data"]?.GetValue<string>(), PendingStatuses = string.Join(',', reports), Buttons = buttons?.ToJson(),
        });
        await db.SaveChangesAsync(ct);
        statuses.Schedule(id, reports);
        return Results.Json(new JsonObject
        {
            ["messaging_product"] = "whatsapp",
            ["contacts"] = new JsonArray(new JsonObject { ["input"] = to, ["wa_id"] = PhoneNumber.Digits(phone) }),
            ["messages"] = new JsonArray(new JsonObject { ["id"] = id }),
        });
    }

    /// <summary>What a send put on the simulated phone's screen, or why the Cloud API refused it.</summary>
    private sealed record Read(string? Text = null, string? Code = null, SandboxButtons? Buttons = null, IResult? Problem = null);

    private static Read ParameterMismatch() =>
        new(Problem: Error(400, 132000, "OAuthException", "(#132000) Number of parameters does not match the expected number of params"));

    private static Read ReadTemplate(JsonNode? template, SandboxTemplates templates)
    {
        var language = template?["language"]?["code"]?.GetValue<string>();
        var name = template?["name"]?.GetValue<string>();
        if (name is null || language is null || templates.Find(name, language) is not { } found)
            return new(Problem: Error(404, 132001, "OAuthException", "(#132001) Template name does not exist in the translation"));
        var components = template!["components"]?.AsArray() ?? [];
        return found.Body is null ? ReadAuthentication(components, language) : ReadQuestion(components, found);
    }

    /// <summary>The copy-code authentication template: the code as the one body parameter and the url button's parameter.</summary>
    private static Read ReadAuthentication(JsonArray components, string language)
    {
        var bodyParams = components.FirstOrDefault(c => c?["type"]?.GetValue<string>() == "body")?["parameters"]?.AsArray();
        var button = components.FirstOrDefault(c => c?["type"]?.GetValue<string>() == "button");
        var buttonParams = button?["parameters"]?.AsArray();
        var index = button?["index"]?.ToString();
        var code = bodyParams is { Count: 1 } ? bodyParams[0]?["text"]?.GetValue<string>() : null;
        if (code is null || code.Length > 15 || buttonParams is not { Count: 1 } || index != "0"
            || !string.Equals(button?["sub_type"]?.GetValue<string>(), "url", StringComparison.OrdinalIgnoreCase)
            || buttonParams[0]?["text"]?.GetValue<string>() != code)
            return ParameterMismatch();
        var text = language.StartsWith("id", StringComparison.Ordinal)
            ? $"{code} adalah kode verifikasi Anda. Demi keamanan, jangan bagikan kode ini."
            : $"{code} is your verification code. For your security, do not share this code.";
        return new(text, code);
    }

    /// <summary>A template with body parameters and quick-reply buttons: one text parameter per placeholder, and per
    /// button a quick_reply component at its index with one payload parameter.</summary>
    private static Read ReadQuestion(JsonArray components, SandboxTemplate template)
    {
        var parameters = (components.FirstOrDefault(c => c?["type"]?.GetValue<string>() == "body")?["parameters"]?.AsArray() ?? [])
            .Select(p => p?["type"]?.GetValue<string>() == "text" ? p["text"]?.GetValue<string>() : null).ToList();
        var placeholders = Placeholder().Matches(template.Body!).Select(m => m.Value).Distinct().Count();
        if (parameters.Count != placeholders || parameters.Any(string.IsNullOrWhiteSpace)) return ParameterMismatch();
        var buttons = components.Where(c => c?["type"]?.GetValue<string>() == "button").ToList();
        if (buttons.Count != template.QuickReplies.Count) return ParameterMismatch();
        var pressable = new List<SandboxButton>();
        foreach (var button in buttons)
        {
            var payload = button!["parameters"]?.AsArray() is [{ } only] && only["type"]?.GetValue<string>() == "payload" ? only["payload"]?.GetValue<string>() : null;
            if (!string.Equals(button["sub_type"]?.GetValue<string>(), "quick_reply", StringComparison.OrdinalIgnoreCase)
                || !int.TryParse(button["index"]?.ToString(), out var index) || index < 0 || index >= template.QuickReplies.Count
                || pressable.Count != index || string.IsNullOrEmpty(payload))
                return ParameterMismatch();
            pressable.Add(new SandboxButton(template.QuickReplies[index], payload));
        }
        var text = Placeholder().Replace(template.Body!, m => parameters[int.Parse(m.Groups[1].Value) - 1]!);
        return new(text, Buttons: new SandboxButtons(SandboxButtons.TemplateReply, pressable));
    }

    private static async Task<Read> ReadTextAsync(JsonNode body, string phone, ChannelDbContext db, CancellationToken ct)
    {
        var text = body["text"]?["body"]?.GetValue<string>();
        if (string.IsNullOrEmpty(text)) return new(Problem: Error(400, 100, "OAuthException", "(#100) The parameter text['body'] is required."));
        return await WindowOpenAsync(phone, db, ct) ? new(text) : OutsideWindow();
    }

    /// <summary>An interactive reply-buttons message: a body of up to 1024 characters, 1 to 3 buttons with unique ids
    /// (at most 256 characters) and titles (at most 20); a free message, so only inside the 24-hour window.</summary>
    private static async Task<Read> ReadInteractiveAsync(JsonNode body, string phone, ChannelDbContext db, CancellationToken ct)
    {
        var interactive = body["interactive"];
        var text = interactive?["body"]?["text"]?.GetValue<string>();
        var buttons = (interactive?["action"]?["buttons"]?.AsArray() ?? [])
            .Select(b => b?["type"]?.GetValue<string>() == "reply" ? new SandboxButton(b["reply"]?["title"]?.GetValue<string>() ?? "", b["reply"]?["id"]?.GetValue<string>() ?? "") : null)
            .ToList();
        if (interactive?["type"]?.GetValue<string>() != "button" || string.IsNullOrEmpty(text) || text.Length > 1024
            || buttons.Count is < 1 or > 3 || buttons.Any(b => b is null || b.Title.Length is < 1 or > 20 || b.Payload.Length is < 1 or > 256)
            || buttons.Select(b => b!.Payload).Distinct().Count() != buttons.Count)
            return new(Problem: Error(400, 100, "OAuthException", "(#100) Invalid parameter"));
        return await WindowOpenAsync(phone, db, ct) ? new(text, Buttons: new SandboxButtons(SandboxButtons.InteractiveReply, buttons!)) : OutsideWindow();
    }

    private static async Task<bool> WindowOpenAsync(string phone, ChannelDbContext db, CancellationToken ct)
    {
        var windowStart = DateTimeOffset.UtcNow.AddHours(-24);
        return await db.Set<SandboxMessage>().AnyAsync(m => m.Inbound && m.Phone == phone && m.CreatedAt > windowStart, ct);
    }

    private static Read OutsideWindow() => new(Problem: Error(400, 131047, "OAuthException", "(#131047) Re-engagement message"));

    [GeneratedRegex(@"\{\{([1-9][0-9]?)\}\}")]
    private static partial Regex Placeholder();

    internal static bool BearerMatches(HttpRequest request, string token)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.Ordinal) && token.Length > 0
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[7..]), Encoding.UTF8.GetBytes(token));
    }

    internal static IResult Error(int status, int code, string type, string message) => Results.Json(new JsonObject
    {
        ["error"] = new JsonObject
        {
            ["message"] = message, ["type"] = type, ["code"] = code,
            ["error_data"] = new JsonObject { ["messaging_product"] = "whatsapp", ["details"] = message },
            ["fbtrace_id"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(12)),
        },
    }, statusCode: status);
}
