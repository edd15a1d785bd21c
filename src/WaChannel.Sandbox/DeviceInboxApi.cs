using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using WaIdentity.WaChannel.Device;

namespace WaIdentity.WaChannel.Sandbox;

/// <summary>
/// The dev inbox acting as the business phone linked to the sandbox gateway (JSON only, Sandbox only): scan the QR
/// on offer, type a pairing code, drop the connection, remove the linked device, write to the linked number, and
/// create groups the linked number is in.
/// </summary>
internal static class DeviceInboxApi
{
    public sealed record ScanRequest(string Phone, string? Qr);
    public sealed record PairRequest(string Code);
    public sealed record DeviceInboundRequest(string From, string Text, string? ProfileName, bool AsLid);
    public sealed record GroupRequest(string Subject, string[]? Members);

    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/dev/inbox/api/device");
        api.MapGet("", (GatewayEndpoint e, DeviceGatewaySimulator sim) =>
            Results.Json(new { session = e.Session, device = sim.Describe(e.Session), qr = sim.CurrentQr(e.Session) }));
        api.MapPost("/scan", Scan);
        api.MapPost("/pair", (PairRequest r, GatewayEndpoint e, DeviceGatewaySimulator sim) =>
            sim.EnterCode(e.Session, r.Code ?? "") ? Results.Accepted() : Refused("the code is wrong or its window has closed"));
        api.MapPost("/disconnect", (GatewayEndpoint e, DeviceGatewaySimulator sim) => sim.Disconnect(e.Session) ? Results.Accepted() : Results.NotFound());
        api.MapPost("/unlink", (GatewayEndpoint e, DeviceGatewaySimulator sim) => sim.Unlink(e.Session) ? Results.Accepted() : Results.NotFound());
        api.MapPost("/inbound", Inbound);
        api.MapGet("/groups", (DeviceGatewaySimulator sim) => Results.Json(sim.Groups()));
        api.MapPost("/groups", CreateGroup);
    }

    /// <summary>The linked number joins a new group with these members; messages to its id then reach it.</summary>
    public static SandboxGroup? TryCreateGroup(DeviceGatewaySimulator sim, string? subject, string[]? members) =>
        string.IsNullOrWhiteSpace(subject) || subject.Length > 100 || members is null || members.Length is 0 or > 256 || !members.All(PhoneNumber.IsE164)
            ? null : sim.CreateGroup(subject.Trim(), members);

    private static IResult CreateGroup(GroupRequest r, DeviceGatewaySimulator sim) =>
        TryCreateGroup(sim, r.Subject, r.Members) is { } group ? Results.Json(group, statusCode: 201)
            : Results.Problem("subject (1 to 100 characters) and members (1 to 256 E.164 numbers) are required", statusCode: 400);

    /// <summary>Scans the given QR value, or, without one, whatever the gateway shows right now.</summary>
    public static bool TryScan(GatewayEndpoint e, DeviceGatewaySimulator sim, string phone, string? qr) =>
        PhoneNumber.IsE164(phone) && (qr ?? sim.CurrentQr(e.Session)) is { } value && sim.Scan(e.Session, value, PhoneNumber.Digits(phone));

    private static IResult Scan(ScanRequest r, GatewayEndpoint e, DeviceGatewaySimulator sim) =>
        !PhoneNumber.IsE164(r.Phone) ? Results.Problem("phone must be E.164, like +6281234567890", statusCode: 400)
        : TryScan(e, sim, r.Phone, r.Qr) ? Results.Accepted() : Refused("no such QR on offer (expired, or the device is not waiting for a scan)");

    private static IResult Inbound(DeviceInboundRequest r, GatewayEndpoint e, DeviceGatewaySimulator sim)
    {
        if (!PhoneNumber.IsE164(r.From)) return Results.Problem("from must be E.164, like +6281234567890", statusCode: 400);
        if (string.IsNullOrWhiteSpace(r.Text) || r.Text.Length > 4096) return Results.Problem("text is required (at most 4096 characters)", statusCode: 400);
        return sim.Receive(e.Session, PhoneNumber.Digits(r.From), r.Text, r.ProfileName, r.AsLid) is { } id
            ? Results.Json(new { id }, statusCode: 202) : Refused("the device is not working");
    }

    private static IResult Refused(string why) => Results.Problem(why, statusCode: 409);
}
