using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using QRCoder;
using WaIdentity.WaChannel.Device;
using WaIdentity.WaChannel.Persistence;

namespace WaIdentity.WaChannel.Sandbox;

/// <summary>
/// The WAHA-style gateway API under /sandbox/gateway (Sandbox only): X-Api-Key on every call, sessions and their
/// lifecycle, the QR (raw or PNG), pairing codes, sendText (to people and to the sandbox's groups, acked by
/// `message.ack` webhooks), LID lookups and a screenshot. State lives in
/// <see cref="DeviceGatewaySimulator"/>, as it would in the gateway's process.
/// </summary>
internal static class DeviceGatewayEmulator
{
    public const string Prefix = "/sandbox/gateway";

    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(Prefix + "/api").AddEndpointFilter(async (context, next) =>
            KeyMatches(context.HttpContext.Request) ? await next(context)
                : Results.Json(new { message = "Unauthorized", statusCode = 401 }, statusCode: 401));
        api.MapPost("/sessions", CreateAsync);
        api.MapGet("/sessions/{session}", (string session, DeviceGatewaySimulator sim) =>
            sim.Describe(session) is { } s ? Results.Json(s) : NotFound());
        api.MapDelete("/sessions/{session}", (string session, DeviceGatewaySimulator sim) => { sim.Delete(session); return Results.Ok(); });
        api.MapPost("/sessions/{session}/{verb}", Act);
        api.MapGet("/{session}/auth/qr", Qr);
        api.MapPost("/{session}/auth/request-code", RequestCodeAsync);
        api.MapPost("/sendText", SendTextAsync);
        api.MapGet("/{session}/lids/{lid}", (string session, string lid, DeviceGatewaySimulator sim) =>
        {
            var key = lid.Contains('@') ? lid : lid + "@lid";
            var pn = sim.PhoneForLid(key);
            return Results.Json(new JsonObject { ["lid"] = key, ["pn"] = pn is null ? null : pn + "@c.us" });
        });
        api.MapGet("/screenshot", (string? session, DeviceGatewaySimulator sim) =>
            sim.Describe(session ?? "default") is { } s ? Results.Bytes(DeviceScreenshot.Render(s["status"]!.GetValue<string>(), sim.CurrentQr(session ?? "default")), "image/png") : NotFound());
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, DeviceGatewaySimulator sim, CancellationToken ct)
    {
        var body = await ReadAsync(request, ct);
        var name = body?["name"]?.GetValue<string>() ?? "session_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var hook = body?["config"]?["webhooks"]?[0];
        var created = sim.Create(name, body?["start"]?.GetValue<bool>() ?? true, hook?["url"]?.GetValue<string>() ?? "", hook?["hmac"]?["key"]?.GetValue<string>() ?? "");
        return created ? Results.Json(sim.Describe(name), statusCode: 201)
            : Results.Json(new { statusCode = 422, message = $"Session '{name}' already exists. Use PUT to update it.", error = "Unprocessable Entity" }, statusCode: 422);
    }

    private static IResult Act(string session, string verb, DeviceGatewaySimulator sim)
    {
        var known = verb switch
        {
            "start" => sim.Start(session),
            "stop" => sim.Stop(session),
            "restart" => sim.Restart(session),
            "logout" => sim.Logout(session),
            _ => (bool?)null,
        };
        return known switch { null => Results.NotFound(), false => NotFound(), true => Results.Json(sim.Describe(session)) };
    }

    private static IResult Qr(string session, string? format, HttpRequest request, DeviceGatewaySimulator sim)
    {
        var qr = sim.CurrentQr(session);
        if (qr is null) return Results.Json(new { statusCode = 422, message = "Session status is not as expected (SCAN_QR_CODE)." }, statusCode: 422);
        if (format == "raw") return Results.Json(new { value = qr });
        var png = Png(qr);
        return request.Headers.Accept.ToString().Contains("application/json")
            ? Results.Json(new { mimetype = "image/png", data = Convert.ToBase64String(png) }) : Results.Bytes(png, "image/png");
    }

    private static async Task<IResult> RequestCodeAsync(string session, HttpRequest request, DeviceGatewaySimulator sim, CancellationToken ct)
    {
        var body = await ReadAsync(request, ct);
        var phone = body?["phoneNumber"]?.GetValue<string>() ?? "";
        if (body?["method"] is not null) return Unprocessable("method is not supported by this engine");
        if (PhoneNumber.FromDigits(phone) is null) return Unprocessable("phoneNumber must be the number in international format, digits only");
        return sim.RequestCode(session, phone) is { } code ? Results.Json(new { code }) : Unprocessable("Session status is not as expected (SCAN_QR_CODE).");
    }

    private static async Task<IResult> SendTextAsync(HttpRequest request, DeviceGatewaySimulator sim, ChannelDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var body = await ReadAsync(request, ct);
        var session = body?["session"]?.GetValue<string>() ?? "default";
        var chatId = body?["chatId"]?.GetValue<string>() ?? "";
        var text = body?["text"]?.GetValue<string>() ?? "";
        var recipient = chatId.EndsWith("@c.us") ? PhoneNumber.FromDigits(chatId[..^5]) : GroupChatId.Normalize(chatId);
        if (recipient is null || text.Length == 0) return Unprocessable("chatId (digits@c.us or id@g.us) and text are required");
        if (!sim.IsWorking(session)) return Unprocessable("Session status is not as expected (WORKING).");
        if (!sim.KnowsChat(recipient)) return Results.Json(new { statusCode = 404, message = "Chat not found", error = "Not Found" }, statusCode: 404);
        var id = $"true_{chatId}_{Convert.ToHexString(RandomNumberGenerator.GetBytes(16))}";
        db.Add(new SandboxMessage { Id = id, Channel = "gateway", Phone = recipient, Text = text, State = "sent", CreatedAt = clock.GetUtcNow() });
        await db.SaveChangesAsync(ct);
        sim.AcknowledgeSent(session, id, chatId);
        return Results.Json(new { id, body = text, fromMe = true, to = chatId, timestamp = clock.GetUtcNow().ToUnixTimeSeconds() }, statusCode: 201);
    }

    private static bool KeyMatches(HttpRequest request)
    {
        var given = request.Headers["X-Api-Key"].ToString() is { Length: > 0 } h ? h : request.Query["x-api-key"].ToString();
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(DeviceSandboxCredentials.ApiKey));
    }

    private static byte[] Png(string value)
    {
        using var data = new QRCodeGenerator().CreateQrCode(value, QRCodeGenerator.ECCLevel.L);
        return new PngByteQRCode(data).GetGraphic(6);
    }

    private static async Task<JsonNode?> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        try { return JsonNode.Parse(await new StreamReader(request.Body).ReadToEndAsync(ct)); }
        catch (JsonException) { return null; }
    }

    private static IResult NotFound() => Results.Json(new { statusCode = 404, message = "Session not found", error = "Not Found" }, statusCode: 404);
    private static IResult Unprocessable(string message) => Results.Json(new { statusCode = 422, message, error = "Unprocessable Entity" }, statusCode: 422);
}
