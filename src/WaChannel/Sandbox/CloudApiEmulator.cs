using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
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
/// messaging_product, E.164 recipient, the template's name, language and copy-code shape, the 24 h window for text)
/// and answers with its success or error envelope; statuses follow as signed webhooks.
/// </summary>
public static class CloudApiEmulator
{
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

        var (text, code, problem) = body["type"]?.GetValue<string>() switch
        {
            "template" => ReadTemplate(body["template"], templates),
            "text" => await ReadTextAsync(body, phone, db, ct),
            _ => (null, null, Error(400, 100, "OAuthException", "(#100) Invalid parameter: type")),
        };
        if (problem is not null) return problem;

        var id = "wamid." + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
        string[] reports = fault == "undeliverable" || sandbox.NoWhatsAppNumbers.Contains(phone) ? ["failed:131026"]
            : sandbox.UnreachableNumbers.Contains(phone) ? ["sent"] : ["sent", "delivered"];
        db.Add(new SandboxMessage
        {
            Id = id, Channel = "whatsapp", Phone = phone, Text = text!, Code = code, State = "accepted", CreatedAt = DateTimeOffset.UtcNow,
            Correlation = body["biz_opaque_callback_data"]?.GetValue<string>(), PendingStatuses = string.Join(',', reports),
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

    /// <summary>The copy-code authentication template: the code as the one body parameter and the url button's parameter.</summary>
    private static (string?, string?, IResult?) ReadTemplate(JsonNode? template, SandboxTemplates templates)
    {
        var language = template?["language"]?["code"]?.GetValue<string>();
        var name = template?["name"]?.GetValue<string>();
        if (name is null || language is null || !templates.Has(name, language))
            return (null, null, Error(404, 132001, "OAuthException", "(#132001) Template name does not exist in the translation"));
        var components = template!["components"]?.AsArray() ?? [];
        var bodyParams = components.FirstOrDefault(c => c?["type"]?.GetValue<string>() == "body")?["parameters"]?.AsArray();
        var button = components.FirstOrDefault(c => c?["type"]?.GetValue<string>() == "button");
        var buttonParams = button?["parameters"]?.AsArray();
        var index = button?["index"]?.ToString();
        var code = bodyParams is { Count: 1 } ? bodyParams[0]?["text"]?.GetValue<string>() : null;
        if (code is null || code.Length > 15 || buttonParams is not { Count: 1 } || index != "0"
            || !string.Equals(button?["sub_type"]?.GetValue<string>(), "url", StringComparison.OrdinalIgnoreCase)
            || buttonParams[0]?["text"]?.GetValue<string>() != code)
            return (null, null, Error(400, 132000, "OAuthException", "(#132000) Number of parameters does not match the expected number of params"));
        var text = language.StartsWith("id", StringComparison.Ordinal)
            ? $"{code} adalah kode verifikasi Anda. Demi keamanan, jangan bagikan kode ini."
            : $"{code} is your verification code. For your security, do not share this code.";
        return (text, code, null);
    }

    private static async Task<(string?, string?, IResult?)> ReadTextAsync(JsonNode body, string phone, ChannelDbContext db, CancellationToken ct)
    {
        var text = body["text"]?["body"]?.GetValue<string>();
        if (string.IsNullOrEmpty(text)) return (null, null, Error(400, 100, "OAuthException", "(#100) The parameter text['body'] is required."));
        var windowStart = DateTimeOffset.UtcNow.AddHours(-24);
        var open = await db.Set<SandboxMessage>().AnyAsync(m => m.Inbound && m.Phone == phone && m.CreatedAt > windowStart, ct);
        return open ? (text, null, null)
            : (null, null, Error(400, 131047, "OAuthException", "(#131047) Re-engagement message"));
    }

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
