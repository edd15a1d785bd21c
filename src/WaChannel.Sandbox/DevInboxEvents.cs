using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Hosting;
using WaIdentity.WaChannel.Persistence;

namespace WaIdentity.WaChannel.Sandbox;

/// <summary>
/// GET /dev/inbox/events?to=: the dev inbox's server-sent events. Every <see cref="CheckInterval"/> it renders the
/// page's live parts (<see cref="DevInboxView"/>) and sends them as one JSON event when any changed, so the page
/// patches them in place and leaves its forms (and what is typed in them) alone. A comment every
/// <see cref="Heartbeat"/> keeps proxies from closing an idle stream; the browser reconnects by itself.
/// </summary>
internal static class DevInboxEvents
{
    public static readonly TimeSpan CheckInterval = TimeSpan.FromMilliseconds(700);
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task StreamAsync(HttpContext http, string? to, ChannelDbContext db, IHostApplicationLifetime lifetime, TimeProvider clock)
    {
        var phone = PhoneNumber.IsE164(to) || GroupChatId.IsGroup(to ?? "") ? to : null;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
        var ct = stop.Token;
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        try
        {
            // The first event always goes out: the page may have been rendered a moment before a message arrived.
            string? last = null;
            var beat = clock.GetUtcNow() + Heartbeat;
            using var timer = new PeriodicTimer(CheckInterval, clock);
            do
            {
                var parts = JsonSerializer.Serialize(await DevInboxView.RenderAsync(http, db, phone, ct), Json);
                if (parts != last)
                {
                    await WriteAsync(http, $"data: {parts}\n\n", ct);
                    last = parts;
                    beat = clock.GetUtcNow() + Heartbeat;
                }
                else if (clock.GetUtcNow() >= beat)
                {
                    await WriteAsync(http, ": heartbeat\n\n", ct);
                    beat = clock.GetUtcNow() + Heartbeat;
                }
            }
            while (await timer.WaitForNextTickAsync(ct));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
    }

    private static async Task WriteAsync(HttpContext http, string text, CancellationToken ct)
    {
        await http.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), ct);
        await http.Response.Body.FlushAsync(ct);
    }
}
