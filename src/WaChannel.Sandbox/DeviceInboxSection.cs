using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using WaIdentity.WaChannel.Device;
using WaIdentity.WaChannel.Persistence;

namespace WaIdentity.WaChannel.Sandbox;

/// <summary>
/// The dev inbox's "business phone" section: the sandbox gateway's status and QR (live, from
/// <see cref="DevInboxView"/>), and forms to scan it, type a pairing code, drop the connection, remove the linked
/// device, write to the linked number (optionally as a linked id), and create groups the linked number is in
/// (messages to them appear in the list). Forms carry the antiforgery token; refusals are shown beside the form.
/// </summary>
internal static class DeviceInboxSection
{
    public static void Map(IEndpointRouteBuilder app) => app.MapPost("/dev/inbox/device", ActAsync);

    public static string Render(HttpContext http, Func<string> csrf, string liveState)
    {
        var html = new StringBuilder("<section class=\"panel\" aria-labelledby=\"device-title\"><h2 id=\"device-title\">Linked device (sandbox gateway)</h2>");
        html.Append("<div id=\"device\">").Append(liveState).Append("</div>");
        if (!http.RequestServices.GetRequiredService<GatewayEndpoint>().IsActive) return html.Append("</section>").ToString();
        string Form(string action, string fields, string button, string kind = "") =>
            $"<form id=\"device-{action}\" class=\"act device-act {kind}\" method=\"post\" action=\"/dev/inbox/device\">{csrf()}<input type=\"hidden\" name=\"action\" value=\"{action}\">{fields}"
            + $"<p class=\"form-error\" role=\"alert\" hidden></p><p class=\"form-done\" role=\"status\"></p><button>{button}</button></form>";
        html.Append(Form("scan", Field("scan-phone", "phone", "Phone that scans (E.164)", "tel", "+6281234567890"), "Scan the QR with this phone"))
            .Append(Form("pair", Field("pair-code", "code", "Pairing code shown on the admin page", "text", "ABCD-EFGH"), "Enter the pairing code"))
            .Append("<div class=\"buttons\">").Append(Form("disconnect", "", "Drop the connection", "inline")).Append(Form("unlink", "", "Remove the linked device", "inline")).Append("</div>")
            .Append(Form("inbound", Field("dev-from", "from", "From (phone, E.164)", "tel", "+6281234567890")
                + "<p><label for=\"dev-name\">Profile name (optional)</label><input id=\"dev-name\" name=\"profileName\" autocomplete=\"off\"></p>"
                + Field("dev-text", "text", "Message", "text", null)
                + "<p class=\"check\"><input type=\"checkbox\" id=\"dev-lid\" name=\"asLid\" value=\"true\"> <label for=\"dev-lid\">Send as a linked id (@lid)</label></p>",
                "Send to the linked number"))
            .Append(Form("group", Field("group-subject", "subject", "Group name", "text", null)
                + Field("group-members", "members", "Members (E.164, separated by commas)", "text", "+6281234567890, +6281298765432"), "Create a group with the linked number"));
        return html.Append("</section>").ToString();
    }

    private static string Field(string id, string name, string label, string type, string? example) =>
        $"<p><label for=\"{id}\">{label}</label><input id=\"{id}\" name=\"{name}\" type=\"{type}\" required autocomplete=\"off\""
        + (example is null ? "" : $" placeholder=\"{example}\"") + "></p>";

    private static async Task<IResult> ActAsync(HttpContext http, IAntiforgery antiforgery, GatewayEndpoint endpoint, DeviceGatewaySimulator sim,
        ChannelDbContext db, CancellationToken ct)
    {
        if (!await antiforgery.IsRequestValidAsync(http)) return Results.BadRequest();
        var form = await http.Request.ReadFormAsync(ct);
        var session = endpoint.Session;
        var action = form["action"].ToString();
        if (action == "inbound") return DevInboxForms.Answer(http, await ReceiveAsync(form, endpoint, sim, db, ct));
        var done = action switch
        {
            "scan" => DeviceInboxApi.TryScan(endpoint, sim, form["phone"].ToString().Trim(), null),
            "pair" => sim.EnterCode(session, form["code"].ToString()),
            "disconnect" => sim.Disconnect(session),
            "unlink" => sim.Unlink(session),
            "group" => DeviceInboxApi.TryCreateGroup(sim, form["subject"].ToString(),
                form["members"].ToString().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)) is not null,
            _ => false,
        };
        return DevInboxForms.Answer(http, done ? null : DevInboxForms.Problem(action) is null ? "action" : action);
    }

    /// <summary>A person writes to the linked number; the inbox keeps a copy so the conversation view shows it.</summary>
    private static async Task<string?> ReceiveAsync(IFormCollection form, GatewayEndpoint endpoint, DeviceGatewaySimulator sim, ChannelDbContext db, CancellationToken ct)
    {
        var from = form["from"].ToString().Trim();
        var text = form["text"].ToString();
        if (!PhoneNumber.IsE164(from)) return "from";
        if (text.Trim().Length == 0 || text.Length > 4096) return "text";
        if (sim.Receive(endpoint.Session, PhoneNumber.Digits(from), text, form["profileName"].ToString() is { Length: > 0 } p ? p : null, form["asLid"] == "true") is not { } id)
            return "device-inbound";
        db.Add(new SandboxMessage { Id = id, Channel = "gateway", Phone = from, Inbound = true, Text = text, State = "received", CreatedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync(ct);
        return null;
    }
}
