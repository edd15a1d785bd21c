using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace WaIdentity.WaChannel.Device;

/// <summary>A gateway call that did not succeed; the message is fit for an admin and holds no secret.</summary>
public sealed class GatewayException(HttpStatusCode? status, string message) : Exception(message)
{
    public HttpStatusCode? Status { get; } = status;
}

public sealed record GatewaySession(string Status, string? AccountId, string? PushName);

/// <summary>
/// The WAHA-style gateway's HTTP API for our one session: lifecycle, status, linking, sending and LID lookups.
/// Every call carries X-Api-Key; errors become <see cref="GatewayException"/>.
/// </summary>
public sealed class DeviceGatewayClient(IHttpClientFactory http, GatewayEndpoint endpoint)
{
    public const string HttpClientName = "WaChannel.Gateway";
    private string S => Uri.EscapeDataString(endpoint.Session);

    /// <summary>Creates the session with our webhook (start always explicit: gateways disagree on the default), or starts it.</summary>
    public async Task StartAsync(CancellationToken ct)
    {
        var body = new JsonObject
        {
            ["name"] = endpoint.Session,
            ["start"] = true,
            ["config"] = new JsonObject
            {
                ["webhooks"] = new JsonArray(new JsonObject
                {
                    ["url"] = endpoint.WebhookUrl,
                    ["events"] = new JsonArray("message", "message.ack", "session.status"),
                    ["hmac"] = new JsonObject { ["key"] = endpoint.HmacKey },
                    ["retries"] = new JsonObject { ["policy"] = "exponential", ["delaySeconds"] = 2, ["attempts"] = 5 },
                }),
                ["ignore"] = new JsonObject { ["status"] = true, ["groups"] = true, ["channels"] = true, ["broadcast"] = true },
            },
        };
        using var created = await SendAsync(HttpMethod.Post, "/api/sessions", body, ct);
        if (created.StatusCode == HttpStatusCode.UnprocessableEntity) await ActAsync("start", ct);
        else await EnsureAsync(created, "create the session");
    }

    /// <summary>stop, restart or logout.</summary>
    public async Task ActAsync(string verb, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Post, $"/api/sessions/{S}/{verb}", null, ct);
        await EnsureAsync(response, verb);
    }

    /// <summary>The session's status and linked account, or null when the gateway does not know the session.</summary>
    public async Task<GatewaySession?> GetSessionAsync(CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Get, $"/api/sessions/{S}", null, ct);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        var json = await ReadAsync(response, "read the session", ct);
        return new GatewaySession(json?["status"]?.GetValue<string>() ?? DeviceStatus.Unknown,
            json?["me"]?["id"]?.GetValue<string>(), json?["me"]?["pushName"]?.GetValue<string>());
    }

    /// <summary>The current QR's raw value (render it ourselves), or null when no QR is on offer.</summary>
    public async Task<string?> GetQrValueAsync(CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Get, $"/api/{S}/auth/qr?format=raw", null, ct);
        if (!response.IsSuccessStatusCode) return null;
        return (await ReadAsync(response, "read the QR", ct))?["value"]?.GetValue<string>();
    }

    /// <summary>A pairing code (XXXX-XXXX) for the number to link; only while the gateway shows a QR.</summary>
    public async Task<string> RequestPairingCodeAsync(string e164, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Post, $"/api/{S}/auth/request-code", new JsonObject { ["phoneNumber"] = PhoneNumber.Digits(e164) }, ct);
        return (await ReadAsync(response, "request a pairing code", ct))?["code"]?.GetValue<string>()
            ?? throw new GatewayException(response.StatusCode, "The gateway returned no pairing code.");
    }

    /// <summary>Sends a text to a chat ("digits@c.us" or "…@g.us"); returns the gateway's message id, which acks refer to.</summary>
    public async Task<string?> SendTextAsync(string chatId, string text, CancellationToken ct)
    {
        var body = new JsonObject { ["session"] = endpoint.Session, ["chatId"] = chatId, ["text"] = text };
        using var response = await SendAsync(HttpMethod.Post, "/api/sendText", body, ct);
        var json = await ReadAsync(response, "send a message", ct);
        return json?["id"] is JsonValue v ? v.ToString() : json?["id"]?["_serialized"]?.GetValue<string>();
    }

    /// <summary>The phone digits behind a linked id ("123@lid"), or null when the gateway does not know them.</summary>
    public async Task<string?> ResolveLidAsync(string lid, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Get, $"/api/{S}/lids/{Uri.EscapeDataString(lid)}", null, ct);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        var pn = (await ReadAsync(response, "resolve a linked id", ct))?["pn"]?.GetValue<string>();
        return pn?.Split('@')[0];
    }

    /// <summary>The gateway's screenshot of the device session (browser engines only), or null when it has none.</summary>
    public async Task<byte[]?> GetScreenshotAsync(CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Get, $"/api/screenshot?session={S}", null, ct);
        return response.IsSuccessStatusCode && response.Content.Headers.ContentType?.MediaType == "image/png"
            ? await response.Content.ReadAsByteArrayAsync(ct) : null;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, JsonObject? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, endpoint.BaseUrl + path);
        request.Headers.Add("X-Api-Key", endpoint.ApiKey);
        if (body is not null) request.Content = JsonContent.Create(body);
        try { return await http.CreateClient(HttpClientName).SendAsync(request, ct); }
        catch (HttpRequestException e) { throw new GatewayException(null, $"The gateway cannot be reached ({e.HttpRequestError})."); }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested) { throw new GatewayException(null, "The gateway did not answer in time."); }
    }

    private static async Task<JsonNode?> ReadAsync(HttpResponseMessage response, string what, CancellationToken ct)
    {
        await EnsureAsync(response, what);
        var text = await response.Content.ReadAsStringAsync(ct);
        return text.Length == 0 ? null : JsonNode.Parse(text);
    }

    private static async Task EnsureAsync(HttpResponseMessage response, string what)
    {
        if (response.IsSuccessStatusCode) return;
        string? message = null;
        try { message = JsonNode.Parse(await response.Content.ReadAsStringAsync())?["message"]?.ToString(); }
        catch (System.Text.Json.JsonException) { }
        var detail = message is { Length: > 0 } ? $": {message[..Math.Min(message.Length, 150)]}" : "";
        throw new GatewayException(response.StatusCode, $"The gateway could not {what} ({(int)response.StatusCode}){detail}.");
    }
}
