using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using WaIdentity.WaChannel.Persistence;

namespace WaIdentity.WaChannel.Sandbox;

/// <summary>
/// GET /dev/inbox: what the simulated phones received and sent, with each code and a copy button, a list of phones
/// (each opens that phone's conversation), and forms to act as a phone (press a message's reply button, mark delivered/read/failed, fail the next
/// sends, write to the business number) and as the business phone of the linked device. The messages and the
/// device state stay live through <see cref="DevInboxEvents"/> without reloading the page, so nothing typed is lost.
/// With script, forms are sent in the background and their errors shown beside them; without, they post and
/// come back here. A developer tool, Sandbox only, in English; its forms carry the antiforgery token.
/// </summary>
internal static class DevInboxPage
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/dev/inbox", RenderAsync);
        app.MapGet("/dev/inbox/inbox.css", () => Results.Text(DevInboxAssets.Css, "text/css; charset=utf-8"));
        app.MapGet("/dev/inbox/inbox.js", () => Results.Text(DevInboxAssets.Script, "text/javascript; charset=utf-8"));
        app.MapGet("/dev/inbox/events", DevInboxEvents.StreamAsync);
        app.MapPost("/dev/inbox/status", SetStatusAsync);
        app.MapPost("/dev/inbox/press", PressAsync);
        app.MapPost("/dev/inbox/fail-next", FailNextAsync);
        app.MapPost("/dev/inbox/inbound", InboundAsync);
        DeviceInboxSection.Map(app);
    }

    private static async Task<IResult> RenderAsync(HttpContext http, string? to, string? failed, ChannelDbContext db, IAntiforgery antiforgery, CancellationToken ct)
    {
        var phone = PhoneNumber.IsE164(to) || GroupChatId.IsGroup(to ?? "") ? to : null;
        var parts = await DevInboxView.RenderAsync(http, db, phone, ct);
        var token = antiforgery.GetAndStoreTokens(http);
        var h = HtmlEncoder.Default;
        string Csrf() => $"<input type=\"hidden\" name=\"{h.Encode(token.FormFieldName)}\" value=\"{h.Encode(token.RequestToken!)}\">";
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(phone is null ? "Dev inbox" : h.Encode(phone) + " - Dev inbox").Append("</title><link rel=\"stylesheet\" href=\"/dev/inbox/inbox.css\"></head><body>")
            .Append("<header class=\"bar\"><h1><a href=\"/dev/inbox\">Dev inbox</a> <span class=\"tag\">sandbox</span></h1>")
            .Append("<p id=\"live\" class=\"live\" role=\"status\">Updates without reloading</p></header>")
            .Append("<div class=\"layout\"><nav class=\"side\" aria-label=\"Phones\"><h2>Phones</h2><div id=\"phones\">").Append(parts.Phones).Append("</div></nav>")
            .Append("<main><h2>").Append(phone is null ? "All messages, newest first" : "Conversation with " + h.Encode(phone)).Append("</h2>");
        if (failed is not null && DevInboxForms.Problem(failed) is { } problem)
            html.Append("<p class=\"error\" role=\"alert\">").Append(h.Encode(problem)).Append("</p>");
        html.Append("<form id=\"status-form\" class=\"act\" method=\"post\" action=\"/dev/inbox/status\">").Append(Csrf())
            .Append("<p class=\"form-error\" role=\"alert\" hidden></p></form>")
            .Append("<form id=\"press-form\" class=\"act\" method=\"post\" action=\"/dev/inbox/press\">").Append(Csrf())
            .Append("<p class=\"form-error\" role=\"alert\" hidden></p></form>")
            .Append("<div id=\"messages\" data-phone=\"").Append(h.Encode(phone ?? "")).Append("\">").Append(parts.Messages).Append("</div>");
        AppendInboundForm(html, Csrf(), phone);
        html.Append("</main><aside class=\"tools\">");
        AppendFailNextForm(html, Csrf());
        html.Append(DeviceInboxSection.Render(http, Csrf, parts.Device)).Append("</aside></div>")
            .Append("<script src=\"/dev/inbox/inbox.js\"></script></body></html>");
        return Results.Content(html.ToString(), "text/html; charset=utf-8");
    }

    private static void AppendInboundForm(StringBuilder html, string csrf, string? phone)
    {
        var h = HtmlEncoder.Default;
        html.Append("<section class=\"panel\" aria-labelledby=\"inbound-title\"><h2 id=\"inbound-title\">Write to the business number as a phone (WhatsApp)</h2>")
            .Append("<form id=\"inbound-form\" class=\"act\" method=\"post\" action=\"/dev/inbox/inbound\">").Append(csrf)
            .Append("<div class=\"fields\"><p><label for=\"inbound-from\">From (phone, E.164)</label><input id=\"inbound-from\" name=\"from\" type=\"tel\" required autocomplete=\"off\" value=\"")
            .Append(h.Encode(PhoneNumber.IsE164(phone) ? phone! : "")).Append("\" placeholder=\"+6281234567890\"></p>")
            .Append("<p><label for=\"inbound-name\">Profile name (optional)</label><input id=\"inbound-name\" name=\"profileName\" autocomplete=\"off\"></p></div>")
            .Append("<p><label for=\"inbound-text\">Message</label><textarea id=\"inbound-text\" name=\"text\" rows=\"2\" required maxlength=\"4096\"></textarea></p>")
            .Append("<p class=\"form-error\" role=\"alert\" hidden></p><p class=\"form-done\" role=\"status\"></p><button>Send message</button></form></section>");
    }

    private static void AppendFailNextForm(StringBuilder html, string csrf) =>
        html.Append("<section class=\"panel\" aria-labelledby=\"fail-title\"><h2 id=\"fail-title\">Make the next sends fail</h2>")
            .Append("<form id=\"fail-form\" class=\"act\" method=\"post\" action=\"/dev/inbox/fail-next\">").Append(csrf)
            .Append("<p><label for=\"fail-channel\">Channel</label><select id=\"fail-channel\" name=\"channel\"><option value=\"whatsapp\">WhatsApp</option><option value=\"sms\">SMS</option></select></p>")
            .Append("<p><label for=\"fail-count\">How many sends</label><input id=\"fail-count\" name=\"count\" type=\"number\" min=\"1\" max=\"100\" value=\"1\" required></p>")
            .Append("<p><label for=\"fail-kind\">How they fail</label><select id=\"fail-kind\" name=\"kind\"><option value=\"server-error\">Server error (500)</option>")
            .Append("<option value=\"rate-limit\">Rate limit (429)</option><option value=\"undeliverable\">Undeliverable number</option></select></p>")
            .Append("<p class=\"form-error\" role=\"alert\" hidden></p><p class=\"form-done\" role=\"status\"></p><button>Fail the next sends</button></form></section>");

    private static async Task<IResult> SetStatusAsync(HttpContext http, IAntiforgery antiforgery, SandboxStatusSender sender, CancellationToken ct)
    {
        if (!await antiforgery.IsRequestValidAsync(http)) return Results.BadRequest();
        var form = await http.Request.ReadFormAsync(ct);
        // The row buttons send "status id"; the older form sent the two as fields.
        var target = form["target"].ToString();
        var (status, id) = target.IndexOf(' ') is var space and > 0 ? (target[..space], target[(space + 1)..]) : (form["status"].ToString(), form["id"].ToString());
        if (status is not ("delivered" or "read" or "failed")) return DevInboxForms.Answer(http, "status");
        return DevInboxForms.Answer(http, await sender.SendStatusAsync(id, status, status == "failed" ? "131026" : null, ct) ? null : "status");
    }

    /// <summary>A message's reply button, pressed as its phone: "index id" from the button.</summary>
    private static async Task<IResult> PressAsync(HttpContext http, IAntiforgery antiforgery, SandboxStatusSender sender, CancellationToken ct)
    {
        if (!await antiforgery.IsRequestValidAsync(http)) return Results.BadRequest();
        var target = (await http.Request.ReadFormAsync(ct))["target"].ToString();
        var space = target.IndexOf(' ');
        if (space < 1 || !int.TryParse(target[..space], out var index)) return DevInboxForms.Answer(http, "press");
        return DevInboxForms.Answer(http, await sender.PressButtonAsync(target[(space + 1)..], index, ct) is null ? "press" : null);
    }

    private static async Task<IResult> FailNextAsync(HttpContext http, IAntiforgery antiforgery, SandboxFaults faults, CancellationToken ct)
    {
        if (!await antiforgery.IsRequestValidAsync(http)) return Results.BadRequest();
        var form = await http.Request.ReadFormAsync(ct);
        var channel = form["channel"].ToString();
        var kind = form["kind"].ToString();
        if (channel is not ("whatsapp" or "sms") || !SandboxFaults.Kinds.Contains(kind) || !int.TryParse(form["count"], out var n) || n is < 1 or > 100)
            return DevInboxForms.Answer(http, "fail-next");
        faults.Add(channel, kind, n);
        return DevInboxForms.Answer(http, null);
    }

    private static async Task<IResult> InboundAsync(HttpContext http, IAntiforgery antiforgery, SandboxStatusSender sender, CancellationToken ct)
    {
        if (!await antiforgery.IsRequestValidAsync(http)) return Results.BadRequest();
        var form = await http.Request.ReadFormAsync(ct);
        var from = form["from"].ToString().Trim();
        var text = form["text"].ToString();
        if (!PhoneNumber.IsE164(from)) return DevInboxForms.Answer(http, "from");
        if (text.Trim().Length == 0 || text.Length > 4096) return DevInboxForms.Answer(http, "text");
        await sender.SendInboundAsync(from, text, form["profileName"].ToString() is { Length: > 0 } p ? p : null, ct);
        return DevInboxForms.Answer(http, null);
    }
}
