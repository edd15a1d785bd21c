using System.Text.Json;
using WaIdentity.WaChannel.Http;

namespace WaIdentity.IdP.Gateway;

/// <summary>
/// Reads a JSON request body. Only <c>application/json</c> is accepted: a cross-site HTML form cannot send that
/// content type without a CORS preflight, which this API never grants, so it doubles as the CSRF defence of the
/// cookie-authenticated account API.
/// </summary>
internal static class JsonBody
{
    public const int MaxBytes = 64 * 1024;
    /// <summary>The type ASP.NET Core gives its own 415 (for endpoints that declare Accepts), used here too so every 415 looks the same.</summary>
    public const string UnsupportedMediaType = "https://tools.ietf.org/html/rfc9110#section-15.5.16";

    /// <summary>The API's JSON: snake_case names, as WhatsAuth and the OAuth specs write them.</summary>
    public static readonly JsonSerializerOptions Snake = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static async Task<Check<JsonElement, GatewayDenial>> ReadAsync(HttpRequest request)
    {
        if (!request.HasJsonContentType()) return new GatewayDenial.NotJson();
        var bytes = await CappedBody.ReadAsync(request, MaxBytes, request.HttpContext.RequestAborted);
        if (bytes is null) return new GatewayDenial.TooLarge(MaxBytes);
        try
        {
            using var doc = JsonDocument.Parse(bytes);
            return doc.RootElement.ValueKind == JsonValueKind.Object ? doc.RootElement.Clone() : new GatewayDenial.BadBody("The body must be a JSON object.");
        }
        catch (JsonException) { return new GatewayDenial.BadBody("The body is not valid JSON."); }
    }

    public static string? String(this JsonElement body, string name) =>
        body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public static bool Bool(this JsonElement body, string name) =>
        body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    /// <summary>The first of several names (a field and its aliases) that the body has as a string.</summary>
    public static string? FirstString(this JsonElement body, params string[] names) =>
        names.Select(n => body.String(n)).FirstOrDefault(v => v is not null);

    /// <summary>True for <c>true</c> or the string "true" under any of the names (older WhatsAuth clients send a string).</summary>
    public static bool LenientBool(this JsonElement body, params string[] names) =>
        names.Any(n => body.Bool(n) || string.Equals(body.String(n), "true", StringComparison.OrdinalIgnoreCase));
}
