using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using WaIdentity.WaChannel.Persistence;

namespace WaIdentity.WaChannel.Sandbox;

/// <summary>
/// GET /dev/inbox: what the simulated phones received, newest first, refreshed every 3 s, with each code and a copy
/// button, and forms to act as the phone (mark delivered/read/failed, fail the next sends, send an inbound message).
/// A developer tool, Sandbox only; its forms carry the antiforgery token.
/// </summary>
public static class DevInboxPage
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/dev/inbox", RenderAsync);
        app.MapPost("/dev/inbox/status", SetStatusAsync);
        app.MapPost("/dev/inbox/fail-next", FailNextAsync);
        app.MapPost("/dev/inbox/inbound", InboundAsync);
        DeviceInboxSection.Map(app);
    }

    private static async Task<IResult> RenderAsync(HttpContext http, string? to, ChannelDbContext db, IAntiforgery antiforgery, CancellationToken ct)
    {
        var messages = await DevInboxApi.ReadAsync(db, PhoneNumber.IsE164(to) ? to : null, ct);
        var token = antiforgery.GetAndStoreTokens(http);
        var h = HtmlEncoder.Default;
        string Csrf() => $"<input type=\"hidden\" name=\"{h.Encode(token.FormFieldName)}\" value=\"{h.Encode(token.RequestToken!)}\">";
        var nonce = http.Items["csp-nonce"] as string ?? "";
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"3\">")
            .Append("<title>Dev inbox</title><link rel=\"stylesheet\" href=\"/css/site.css\"></head><body><main class=\"dev-inbox\">")
            .Append("<h1>Dev inbox (sandbox)</h1><p>Messages the simulated phones received, newest first. This page refreshes every 3 seconds.</p>")
            .Append("<form method=\"get\"><label>Phone <input name=\"to\" value=\"").Append(h.Encode(to ?? "")).Append("\" placeholder=\"+6281234567890\"></label> <button>Filter</button></form>")
            .Append("<table><thead><tr><th>Time</th><th>To</th><th>Channel</th><th>Text</th><th>Code</th><th>State</th><th>Act as the phone</th></tr></thead><tbody>");
        foreach (var m in messages)
        {
            html.Append("<tr><td>").Append(m.CreatedAt.ToString("u")).Append("</td><td>").Append(h.Encode(m.To)).Append("</td><td>").Append(m.Channel)
                .Append("</td><td>").Append(h.Encode(m.Text)).Append("</td><td>");
            if (m.Code is not null)
                html.Append("<code>").Append(h.Encode(m.Code)).Append("</code> <button type=\"button\" class=\"copy\" data-code=\"").Append(h.Encode(m.Code)).Append("\">Copy</button>");
            html.Append("</td><td>").Append(h.Encode(m.State)).Append("</td><td>");
            foreach (var status in new[] { "delivered", "read", "failed" })
                html.Append("<form method=\"post\" action=\"/dev/inbox/status\" class=\"inline\">").Append(Csrf())
                    .Append("<input type=\"hidden\" name=\"id\" value=\"").Append(h.Encode(m.Id)).Append("\"><input type=\"hidden\" name=\"status\" value=\"").Append(status)
                    .Append("\"><button>").Append(status).Append("</button></form> ");
            html.Append("</td></tr>");
        }
        html.Append("</tbody></table><h2>Make the next sends fail</h2><form method=\"post\" action=\"/dev/inbox/fail-next\">").Append(Csrf())
            .Append("<select name=\"channel\"><option>whatsapp</option><option>sms</option></select> <input name=\"count\" type=\"number\" min=\"1\" max=\"100\" value=\"1\"> ")
            .Append("<select name=\"kind\"><option>server-error</option><option>rate-limit</option><option>undeliverable</option></select> <button>Fail next</button></form>")
            .Append("<h2>Send a WhatsApp message as a phone</h2><form method=\"post\" action=\"/dev/inbox/inbound\">").Append(Csrf())
            .Append("<input name=\"from\" placeholder=\"+6281234567890\" required> <input name=\"profileName\" placeholder=\"Profile name\"> ")
            .Append("<input name=\"text\" placeholder=\"Text\" required> <button>Send</button></form>")
            .Append(DeviceInboxSection.Render(http, Csrf)).Append("</main>")
            .Append("<script nonce=\"").Append(h.Encode(nonce)).Append("\">document.querySelectorAll('button.copy').forEach(b=>b.addEventListener('click',()=>navigator.clipboard.writeText(b.dataset.code)));</script>")
            .Append("</body></html>");
        return Results.Content(html.ToString(), "text/html; charset=utf-8");
    }

    private static async Task<IResult> SetStatusAsync(HttpContext http, IAntiforgery antiforgery, SandboxStatusSender sender, CancellationToken ct)
    {
        if (!await antiforgery.IsRequestValidAsync(http)) return Results.BadRequest();
        var form = await http.Request.ReadFormAsync(ct);
        var status = form["status"].ToString();
        if (status is "delivered" or "read" or "failed")
            await sender.SendStatusAsync(form["id"].ToString(), status, status == "failed" ? "131026" : null, ct);
        return Results.Redirect("/dev/inbox");
    }

    private static async Task<IResult> FailNextAsync(HttpContext http, IAntiforgery antiforgery, SandboxFaults faults, CancellationToken ct)
    {
        if (!await antiforgery.IsRequestValidAsync(http)) return Results.BadRequest();
        var form = await http.Request.ReadFormAsync(ct);
        var channel = form["channel"].ToString();
        var kind = form["kind"].ToString();
        if (channel is "whatsapp" or "sms" && SandboxFaults.Kinds.Contains(kind) && int.TryParse(form["count"], out var n) && n is >= 1 and <= 100)
            faults.Add(channel, kind, n);
        return Results.Redirect("/dev/inbox");
    }

    private static async Task<IResult> InboundAsync(HttpContext http, IAntiforgery antiforgery, SandboxStatusSender sender, CancellationToken ct)
    {
        if (!await antiforgery.IsRequestValidAsync(http)) return Results.BadRequest();
        var form = await http.Request.ReadFormAsync(ct);
        var from = form["from"].ToString();
        var text = form["text"].ToString();
        if (PhoneNumber.IsE164(from) && text.Length is > 0 and <= 4096)
            await sender.SendInboundAsync(from, text, form["profileName"].ToString() is { Length: > 0 } p ? p : null, ct);
        return Results.Redirect("/dev/inbox");
    }
}
