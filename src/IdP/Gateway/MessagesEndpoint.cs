using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WaIdentity.IdP.Login;
using WaIdentity.IdP.Persistence;
using WaIdentity.WaChannel;
using WaIdentity.WaChannel.Codes;
using WaIdentity.WaChannel.Device;

namespace WaIdentity.IdP.Gateway;

internal sealed record SendMessageRequest(string To, string Text, bool IsGroup = false);

/// <summary>WhatsAuth's body for the same send, accepted by every send route: <c>isgroup</c> for <c>is_group</c> (also
/// "true" as a string), <c>messages</c> (or <c>message</c>) for <c>text</c>.</summary>
internal sealed record WhatsAuthTextMessage(
    [property: JsonPropertyName("to")] string To,
    [property: JsonPropertyName("isgroup")] bool IsGroup,
    [property: JsonPropertyName("messages")] string Messages);

internal sealed record MessageView(string Id, string To, bool IsGroup, string Status, string? Channel, bool FellBack, string? Error, DateTimeOffset CreatedAt, DateTimeOffset? UpdatedAt)
{
    /// <summary>On a group message's answer, when the linked device is not WORKING: its status, how long the message
    /// waits for it, and a sentence saying so.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? DeviceStatus { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public DateTimeOffset? WaitsUntil { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Notice { get; init; }
}

/// <summary>
/// POST /api/v1/messages (scope wa.send) queues a text through the channel's outbox; GET /api/v1/messages/{id} reads
/// its delivery state. A client sees only the messages it queued (others answer 404, as unknown ones do).
/// With is_group=true, <c>to</c> is a group chat id and the text goes through the linked gateway device (the Cloud
/// API cannot post to groups); with the device off that is 422 "groups-unavailable".
/// </summary>
internal sealed class MessagesEndpoint(
    GatewayAuthenticator auth, ITextSender texts, ICodeSender codes, IdpDbContext db, TimeProvider clock, DeviceReadiness device,
    IOptionsMonitor<LoginOptions> login)
{
    public async Task<IResult> SendAsync(HttpContext http)
    {
        var authenticated = await auth.AuthenticateAsync(http, GatewayScopes.Send);
        if (!authenticated.Passed) return GatewayProblem.Denied(http, authenticated.Error);
        var caller = authenticated.Value;
        var read = await JsonBody.ReadAsync(http.Request);
        if (!read.Passed) return GatewayProblem.Denied(http, read.Error);
        var body = read.Value;
        // WhatsAuth's names are aliases of ours: isgroup (also the string "true" of its older clients), message(s).
        var isGroup = body.LenientBool("is_group", "isgroup");
        var to = isGroup ? GroupChatId.Normalize(body.String("to")) : ApiRecipientNumber.Read(body.String("to"), login.CurrentValue.DefaultCountryCode);
        var text = body.FirstString("text", "message", "messages");
        var errors = new Dictionary<string, string[]>();
        if (to is null) errors["to"] = [isGroup ? "to must be a group id, like 120363012345678901@g.us." : "to must be a phone number in international format, like +6281234567890."];
        if (string.IsNullOrWhiteSpace(text) || text.Length > TextRequest.MaxLength) errors["text"] = [$"text (or message) must be 1 to {TextRequest.MaxLength} characters."];
        if (errors.Count > 0) return GatewayProblem.Invalid("The message is not valid.", errors);
        if (isGroup && !codes.Availability.Groups)
            return GatewayProblem.Unprocessable("groups-unavailable", "Group messages are not available",
                "Group messages go through the linked WhatsApp device, which is off on this server (Channel:Device:Enabled).");
        if (await auth.SpendDailyAsync(http, caller, DailyQuota.Messages) is { } over) return GatewayProblem.Denied(http, over);
        var sent = isGroup ? await texts.SendGroupTextAsync(new GroupTextRequest(to!, text!, "api"), http.RequestAborted)
            : await texts.SendTextAsync(new TextRequest(to!, text!, "api", "en"), http.RequestAborted);
        if (!sent.Queued) return GatewayProblem.Refused(http, sent.Refusal);
        var row = new GatewayMessage { Id = sent.Handle.Id, ClientId = caller.ClientId, To = to!, CreatedAt = clock.GetUtcNow() };
        db.Set<GatewayMessage>().Add(row);
        await db.SaveChangesAsync(http.RequestAborted);
        var wait = isGroup ? await device.WaitForNewMessageAsync(http.RequestAborted) : null;
        var view = wait is null ? View(row, null) : View(row, null) with
        {
            DeviceStatus = wait.Status, WaitsUntil = wait.Until,
            Notice = $"The linked WhatsApp device is not working ({wait.Status}): the message waits for it until {wait.Until:u} and is sent as soon as it works.",
        };
        return Results.Json(view, JsonBody.Snake, statusCode: 202);
    }

    /// <summary>The same send under WhatsAuth's route, answered in its shape (<see cref="WhatsAuthAnswer"/>).</summary>
    public async Task<IResult> SendWhatsAuthAsync(HttpContext http) => WhatsAuthAnswer.From(await SendAsync(http));

    public async Task<IResult> GetAsync(HttpContext http, string id)
    {
        var authenticated = await auth.AuthenticateAsync(http, GatewayScopes.Send);
        if (!authenticated.Passed) return GatewayProblem.Denied(http, authenticated.Error);
        var caller = authenticated.Value;
        if (!Guid.TryParseExact(id, "N", out var guid) && !Guid.TryParse(id, out guid)) return GatewayProblem.NotFound("No such message.");
        var row = await db.Set<GatewayMessage>().AsNoTracking().FirstOrDefaultAsync(m => m.Id == guid && m.ClientId == caller.ClientId, http.RequestAborted);
        if (row is null) return GatewayProblem.NotFound("No such message.");
        return Results.Json(View(row, await codes.GetStatusAsync(new MessageHandle(guid), http.RequestAborted)), JsonBody.Snake);
    }

    private static MessageView View(GatewayMessage m, DeliveryStatus? s) => new(m.Id.ToString("N"), m.To, GroupChatId.IsGroup(m.To),
        (s?.State ?? DeliveryState.Queued).ToString().ToLowerInvariant(), s?.Channel.ToString().ToLowerInvariant(), s?.FellBack ?? false, s?.Error,
        m.CreatedAt, s?.UpdatedAt);
}
