using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using WaIdentity.WaChannel.Device;

namespace WaIdentity.WaChannel.Sandbox;

/// <summary>
/// The dev inbox's "business phone" section: the sandbox gateway's status and QR, and forms to scan it, type a
/// pairing code, drop the connection, remove the linked device, write to the linked number (optionally as a
/// linked id), and create groups the linked number is in (messages to them appear in the list above). Forms carry the antiforgery token.
/// </summary>
public static class DeviceInboxSection
{
    public static void Map(IEndpointRouteBuilder app) => app.MapPost("/dev/inbox/device", ActAsync);

    public static string Render(HttpContext http, Func<string> csrf)
    {
        var endpoint = http.RequestServices.GetRequiredService<GatewayEndpoint>();
        if (!endpoint.IsActive) return "<h2>Linked device</h2><p>The gateway device is off (Channel:Device:Enabled).</p>";
        var sim = http.RequestServices.GetRequiredService<DeviceGatewaySimulator>();
        var h = HtmlEncoder.Default;
        var status = sim.Describe(endpoint.Session)?["status"]?.GetValue<string>() ?? "not created";
        var qr = sim.CurrentQr(endpoint.Session);
        string Form(string action, string fields, string button) =>
            $"<form method=\"post\" action=\"/dev/inbox/device\" style=\"display:inline\">{csrf()}<input type=\"hidden\" name=\"action\" value=\"{action}\">{fields} <button>{button}</button></form> ";
        var html = new StringBuilder("<h2>Linked device (sandbox gateway)</h2>");
        html.Append("<p>Session <code>").Append(h.Encode(endpoint.Session)).Append("</code>: <strong class=\"device-status\">").Append(h.Encode(status)).Append("</strong></p>");
        if (qr is not null) html.Append("<div class=\"device-qr\" style=\"width:200px\">").Append(DeviceAdmin.RenderSvg(qr)).Append("</div>");
        html.Append("<p>")
            .Append(Form("scan", "<input name=\"phone\" placeholder=\"+6281234567890\" required>", "Scan the QR with this phone"))
            .Append(Form("pair", "<input name=\"code\" placeholder=\"ABCD-EFGH\" required>", "Enter pairing code"))
            .Append(Form("disconnect", "", "Drop connection"))
            .Append(Form("unlink", "", "Remove linked device"))
            .Append("</p><p>")
            .Append(Form("inbound", "<input name=\"from\" placeholder=\"+6281234567890\" required> <input name=\"profileName\" placeholder=\"Profile name\"> "
                + "<input name=\"text\" placeholder=\"Text\" required> <label><input type=\"checkbox\" name=\"asLid\" value=\"true\"> as linked id</label>", "Send to the linked number"))
            .Append("</p><p>")
            .Append(Form("group", "<input name=\"subject\" placeholder=\"Group name\" required> <input name=\"members\" placeholder=\"+6281234567890, +6281298765432\" required>", "Create a group with the linked number"))
            .Append("</p>");
        var groups = sim.Groups();
        if (groups.Count > 0)
            html.Append("<ul class=\"device-groups\">").AppendJoin("", groups.Select(g =>
                $"<li><code>{h.Encode(g.Id)}</code> {h.Encode(g.Subject)} ({h.Encode(string.Join(", ", g.Members))})</li>")).Append("</ul>");
        return html.ToString();
    }

    private static async Task<IResult> ActAsync(HttpContext http, IAntiforgery antiforgery, GatewayEndpoint endpoint, DeviceGatewaySimulator sim, CancellationToken ct)
    {
        if (!await antiforgery.IsRequestValidAsync(http)) return Results.BadRequest();
        var form = await http.Request.ReadFormAsync(ct);
        var session = endpoint.Session;
        _ = form["action"].ToString() switch
        {
            "scan" => DeviceInboxApi.TryScan(endpoint, sim, form["phone"].ToString(), null),
            "pair" => sim.EnterCode(session, form["code"].ToString()),
            "disconnect" => sim.Disconnect(session),
            "unlink" => sim.Unlink(session),
            "inbound" => PhoneNumber.IsE164(form["from"].ToString()) && form["text"].ToString().Length is > 0 and <= 4096
                && sim.Receive(session, PhoneNumber.Digits(form["from"].ToString()), form["text"].ToString(),
                    form["profileName"].ToString() is { Length: > 0 } p ? p : null, form["asLid"] == "true") is not null,
            "group" => DeviceInboxApi.TryCreateGroup(sim, form["subject"].ToString(),
                form["members"].ToString().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)) is not null,
            _ => false,
        };
        return Results.Redirect("/dev/inbox");
    }
}
