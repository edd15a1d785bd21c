using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using WaIdentity.WaChannel.Outbox;
using WaIdentity.WaChannel.Persistence;

namespace WaIdentity.WaChannel.Sandbox;

/// <summary>
/// The dev inbox's JSON API (Sandbox only), for tests and scripts. POSTs take JSON only, so a cross-site form
/// cannot drive them. Every action goes through the emulators' real webhooks.
/// </summary>
internal static class DevInboxApi
{
    /// <param name="Buttons">The titles of the reply buttons under the message, in order; empty without.</param>
    public sealed record InboxMessage(string Id, string? MessageId, string To, string Channel, string Text, string? Code, string State, DateTimeOffset CreatedAt,
        IReadOnlyList<string> Buttons);
    public sealed record PressRequest(int Button);
    public sealed record StatusRequest(string Status, string? ErrorCode);
    public sealed record FailNextRequest(string Channel, int Count, string? Kind);
    public sealed record InboundRequest(string From, string Text, string? ProfileName);

    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/dev/inbox/api");
        api.MapGet("/messages", ListAsync);
        // WhatsApp ids are base64 and may hold '/': a catch-all takes them whole, raw or encoded as %2F.
        api.MapPost("/messages/{**idAndStatus}", SetStatusAsync);
        api.MapPost("/fail-next", FailNext);
        api.MapPost("/inbound", SendInboundAsync);
    }

    public static async Task<List<InboxMessage>> ReadAsync(ChannelDbContext db, string? to, CancellationToken ct)
    {
        var query = db.Set<SandboxMessage>().AsNoTracking().Where(m => !m.Inbound);
        if (!string.IsNullOrEmpty(to)) query = query.Where(m => m.Phone == to);
        var rows = await query.OrderByDescending(m => m.CreatedAt).Take(200).ToListAsync(ct);
        var ids = rows.Select(r => r.Id).ToList();
        var handles = await db.Set<OutboundMessage>().AsNoTracking().Where(m => m.ProviderMessageId != null && ids.Contains(m.ProviderMessageId))
            .Select(m => new { m.ProviderMessageId, Handle = m.FallbackOfId ?? m.Id }).ToListAsync(ct);
        return rows.Select(r => new InboxMessage(r.Id, handles.FirstOrDefault(h => h.ProviderMessageId == r.Id)?.Handle.ToString("N")
                ?? (Guid.TryParseExact(r.Correlation, "N", out var c) ? c.ToString("N") : null),
            r.Phone, r.Channel, r.Text, r.Code, r.State, r.CreatedAt, SandboxButtons.FromJson(r.Buttons)?.Buttons.Select(b => b.Title).ToList() ?? [])).ToList();
    }

    private static async Task<IResult> ListAsync(string? to, ChannelDbContext db, CancellationToken ct)
    {
        if (!string.IsNullOrEmpty(to) && !PhoneNumber.IsE164(to) && GroupChatId.Normalize(to) != to)
            return Results.Problem("to must be E.164, like +6281234567890, or a group id, like 120363012345678901@g.us", statusCode: 400);
        var messages = await ReadAsync(db, to, ct);
        return Results.Json(messages.Select(m => new
        {
            id = m.Id, messageId = m.MessageId, to = m.To, channel = m.Channel, text = m.Text, code = m.Code, state = m.State,
            createdAt = m.CreatedAt.ToString("O"), buttons = m.Buttons,
        }));
    }

    /// <summary>POST …/messages/{id}/status {"status"} reports a status; POST …/messages/{id}/press {"button": 0} presses a
    /// reply button under the message (0 is the first), as the phone would: 202 with the inbound message's id.</summary>
    private static async Task<IResult> SetStatusAsync(string idAndStatus, HttpRequest http, SandboxStatusSender sender, CancellationToken ct)
    {
        const string suffix = "/status", press = "/press";
        if (idAndStatus.EndsWith(press, StringComparison.Ordinal) && idAndStatus.Length > press.Length)
        {
            if (await ReadJsonAsync<PressRequest>(http, ct) is not { } pressRequest) return Results.Problem("a JSON body {\"button\": 0} is required", statusCode: 400);
            var pressed = await sender.PressButtonAsync(MessageId(idAndStatus, press), pressRequest.Button, ct);
            return pressed is null ? Results.Problem("no such message, or it has no such button", statusCode: 404) : Results.Json(new { id = pressed }, statusCode: 202);
        }
        if (!idAndStatus.EndsWith(suffix, StringComparison.Ordinal) || idAndStatus.Length == suffix.Length) return Results.NotFound();
        if (await ReadJsonAsync<StatusRequest>(http, ct) is not { } request) return Results.Problem("a JSON body {\"status\": ...} is required", statusCode: 400);
        var id = MessageId(idAndStatus, suffix);
        var status = request.Status?.ToLowerInvariant();
        if (status is not ("sent" or "delivered" or "read" or "failed"))
            return Results.Problem("status must be sent, delivered, read or failed", statusCode: 400);
        var errorCode = status == "failed" ? request.ErrorCode ?? "131026" : null;
        return await sender.SendStatusAsync(id, status, errorCode, ct) ? Results.NoContent() : Results.NotFound();
    }

    /// <summary>JSON only, so that a cross-site form cannot drive the API; null for anything else.</summary>
    private static async Task<T?> ReadJsonAsync<T>(HttpRequest http, CancellationToken ct) where T : class
    {
        if (!http.HasJsonContentType()) return null;
        try { return await http.ReadFromJsonAsync<T>(ct); }
        catch (System.Text.Json.JsonException) { return null; }
    }

    /// <summary>The server leaves an encoded '/' encoded in the path; every other escape is already decoded.</summary>
    private static string MessageId(string idAndAction, string suffix) => idAndAction[..^suffix.Length].Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);

    private static IResult FailNext(FailNextRequest request, SandboxFaults faults)
    {
        var kind = request.Kind ?? "server-error";
        if (request.Channel is not ("whatsapp" or "sms") || request.Count is < 1 or > 100 || !SandboxFaults.Kinds.Contains(kind))
            return Results.Problem("channel must be whatsapp or sms, count 1..100, kind server-error, rate-limit, undeliverable or slow", statusCode: 400);
        faults.Add(request.Channel, kind, request.Count);
        return Results.NoContent();
    }

    private static async Task<IResult> SendInboundAsync(InboundRequest request, SandboxStatusSender sender, CancellationToken ct)
    {
        if (!PhoneNumber.IsE164(request.From)) return Results.Problem("from must be E.164, like +6281234567890", statusCode: 400);
        if (string.IsNullOrWhiteSpace(request.Text) || request.Text.Length > 4096) return Results.Problem("text is required (at most 4096 characters)", statusCode: 400);
        var id = await sender.SendInboundAsync(request.From, request.Text, request.ProfileName, ct);
        return Results.Json(new { id }, statusCode: 202);
    }
}
