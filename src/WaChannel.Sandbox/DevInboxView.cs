using System.Text;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WaIdentity.WaChannel.Device;
using WaIdentity.WaChannel.Persistence;

namespace WaIdentity.WaChannel.Sandbox;

/// <summary>
/// The dev inbox's live parts, rendered to HTML: the phones that sent or received something, the messages (all of
/// them newest first, or one phone's conversation in time order), and the linked device's state. The page renders
/// them once, and its event stream sends them again whenever one changes. They hold no form fields a person types
/// in: the row buttons submit the page's status form (form="status-form") or, for a message's reply buttons, its press
/// form (form="press-form"), so replacing them loses nothing.
/// </summary>
internal static partial class DevInboxView
{
    public sealed record Parts(string Phones, string Messages, string Device);

    private static readonly HtmlEncoder H = HtmlEncoder.Default;

    public static async Task<Parts> RenderAsync(HttpContext http, ChannelDbContext db, string? phone, CancellationToken ct)
    {
        var rows = db.Set<SandboxMessage>().AsNoTracking();
        var messages = string.IsNullOrEmpty(phone)
            ? await rows.OrderByDescending(m => m.CreatedAt).Take(200).ToListAsync(ct)
            : (await rows.Where(m => m.Phone == phone).OrderByDescending(m => m.CreatedAt).Take(200).ToListAsync(ct)).AsEnumerable().Reverse().ToList();
        var phones = await rows.GroupBy(m => m.Phone).Select(g => new { Phone = g.Key, Last = g.Max(m => m.CreatedAt), Count = g.Count() }).ToListAsync(ct);
        var phoneList = new StringBuilder();
        phoneList.Append("<ul class=\"phones\">");
        phoneList.Append("<li><a href=\"/dev/inbox\"").Append(string.IsNullOrEmpty(phone) ? " aria-current=\"page\"" : "").Append(">All messages</a></li>");
        foreach (var p in phones.OrderByDescending(p => p.Last).Take(100))
            phoneList.Append("<li><a href=\"/dev/inbox?to=").Append(H.Encode(Uri.EscapeDataString(p.Phone))).Append('"')
                .Append(p.Phone == phone ? " aria-current=\"page\"" : "").Append('>').Append(H.Encode(p.Phone))
                .Append(" <span class=\"count\">").Append(p.Count).Append("</span></a></li>");
        phoneList.Append("</ul>");
        return new(phoneList.ToString(), RenderMessages(messages, phone), RenderDevice(http));
    }

    private static string RenderMessages(List<SandboxMessage> messages, string? phone)
    {
        var html = new StringBuilder();
        if (messages.Count == 0)
            return "<p class=\"empty\">No messages yet. Codes the app sends to a phone appear here as soon as they are sent.</p>";
        html.Append("<ol class=\"messages").Append(phone is null ? "" : " conversation").Append("\">");
        foreach (var m in messages) AppendMessage(html, m, showPhone: phone is null);
        return html.Append("</ol>").ToString();
    }

    private static void AppendMessage(StringBuilder html, SandboxMessage m, bool showPhone)
    {
        var direction = m.Inbound ? "in" : "out";
        html.Append("<li class=\"msg ").Append(direction).Append("\" data-id=\"").Append(H.Encode(m.Id)).Append("\"><p class=\"meta\">")
            .Append(m.Inbound ? "From " : "To ");
        if (showPhone) html.Append("<a href=\"/dev/inbox?to=").Append(H.Encode(Uri.EscapeDataString(m.Phone))).Append("\">").Append(H.Encode(m.Phone)).Append("</a>");
        else html.Append(m.Inbound ? "this phone" : "this phone, from the app");
        html.Append(" · ").Append(ChannelName(m.Channel)).Append(" · <time datetime=\"").Append(m.CreatedAt.ToString("O")).Append("\">")
            .Append(m.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss")).Append(" UTC</time> · <span class=\"state\">").Append(H.Encode(m.State)).Append("</span></p>")
            .Append("<p class=\"text\">").Append(Linkify(m.Text)).Append("</p>");
        if (m.Code is not null)
            html.Append("<p class=\"code\">Code <code>").Append(H.Encode(m.Code)).Append("</code> <button type=\"button\" class=\"copy\" data-code=\"")
                .Append(H.Encode(m.Code)).Append("\">Copy code</button></p>");
        if (SandboxButtons.FromJson(m.Buttons) is { } buttons)
        {
            // The phone's reply buttons: pressing one sends the webhook WhatsApp sends for that press.
            html.Append("<p class=\"replies\" role=\"group\" aria-label=\"Reply buttons\">");
            for (var i = 0; i < buttons.Buttons.Count; i++)
                html.Append("<button form=\"press-form\" name=\"target\" class=\"reply\" value=\"").Append(i).Append(' ').Append(H.Encode(m.Id)).Append("\">")
                    .Append(H.Encode(buttons.Buttons[i].Title)).Append("</button>");
            html.Append("</p>");
        }
        if (!m.Inbound && m.Channel != "gateway")
        {
            html.Append("<p class=\"acts\"><span class=\"label\">Act as the phone:</span> ");
            foreach (var status in new[] { "delivered", "read", "failed" })
                html.Append("<button form=\"status-form\" name=\"target\" class=\"small\" value=\"").Append(status).Append(' ').Append(H.Encode(m.Id)).Append("\">Mark ")
                    .Append(status).Append("</button> ");
            html.Append("</p>");
        }
        html.Append("</li>");
    }

    private static string ChannelName(string channel) => channel switch
    {
        "whatsapp" => "WhatsApp",
        "sms" => "SMS",
        "gateway" => "linked device",
        _ => H.Encode(channel),
    };

    /// <summary>The text, encoded, with its web addresses as links (the "not me" link in a code message, for one).</summary>
    public static string Linkify(string text)
    {
        var html = new StringBuilder();
        var at = 0;
        foreach (Match url in Url().Matches(text))
        {
            html.Append(H.Encode(text[at..url.Index]));
            var href = url.Value.TrimEnd('.', ',', ')', ';', ':');
            html.Append("<a href=\"").Append(H.Encode(href)).Append("\" rel=\"noopener\">").Append(H.Encode(href)).Append("</a>");
            at = url.Index + href.Length;
        }
        return html.Append(H.Encode(text[at..])).ToString();
    }

    private static string RenderDevice(HttpContext http)
    {
        var endpoint = http.RequestServices.GetRequiredService<GatewayEndpoint>();
        if (!endpoint.IsActive) return "<p>The linked device is off (Channel:Device:Enabled).</p>";
        var sim = http.RequestServices.GetRequiredService<DeviceGatewaySimulator>();
        var status = sim.Describe(endpoint.Session)?["status"]?.GetValue<string>() ?? "not created";
        var html = new StringBuilder();
        html.Append("<p>Session <code>").Append(H.Encode(endpoint.Session)).Append("</code>: <strong class=\"device-status\">").Append(H.Encode(status)).Append("</strong></p>");
        if (sim.CurrentQr(endpoint.Session) is { } qr)
            html.Append("<div class=\"device-qr\" role=\"img\" aria-label=\"The QR the gateway offers now\">").Append(DeviceAdmin.RenderSvg(qr)).Append("</div>");
        var groups = sim.Groups();
        if (groups.Count > 0)
            html.Append("<ul class=\"device-groups\">").AppendJoin("", groups.Select(g =>
                $"<li><code>{H.Encode(g.Id)}</code> {H.Encode(g.Subject)} ({H.Encode(string.Join(", ", g.Members))})</li>")).Append("</ul>");
        return html.ToString();
    }

    [GeneratedRegex(@"https?://[^\s<>""]+")]
    private static partial Regex Url();
}
