using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace WaIdentity.IdP.Login.SendCode;

/// <summary>
/// GET /login/send-code/events: the waiting page's server-sent events. Bound to the browser's login flow exactly
/// like the Status handler it stands beside (no flow cookie: 404; another flow sees only its own challenge). One
/// <c>data:</c> event with the same JSON as Status once the challenge is proven, refused or expired, then the stream
/// ends; a comment every <see cref="Heartbeat"/> keeps proxies from closing an idle stream.
/// </summary>
/// <remarks>
/// It reads the store every <see cref="CheckInterval"/> instead of waiting for an in-process signal: the inbound
/// webhook that proves the code may land on another node of a cluster, and one indexed read by flow hash is as cheap
/// as the page's own polling was. EF opens the connection for each read and gives it back to the pool at once, so a
/// waiting stream holds no database connection while it sleeps.
/// </remarks>
internal sealed class SendCodeEvents(
    LoginFlowCookie flows, SendCodeCompletion completion, IOptionsMonitor<LoginOptions> options, TimeProvider clock,
    IHostApplicationLifetime lifetime)
{
    public static readonly TimeSpan CheckInterval = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task StreamAsync(HttpContext http)
    {
        if (flows.Read(http) is not { } flow)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        // Ends on disconnect, and on shutdown so a draining node is not held up; the page then polls another node.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
        var ct = stop.Token;
        Start(http);
        try
        {
            await WriteAsync(http, ": waiting\n\n", ct); // sends the headers now, so the page knows the stream is open
            await WatchAsync(http, flow, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
    }

    private async Task WatchAsync(HttpContext http, LoginFlow flow, CancellationToken ct)
    {
        // The challenge expires by then anyway (ReadAsync says so); the cap only bounds a stream whatever the store says.
        var ends = clock.GetUtcNow().AddSeconds(options.CurrentValue.SendCode.LifetimeSeconds) + Heartbeat;
        var beat = clock.GetUtcNow() + Heartbeat;
        using var timer = new PeriodicTimer(CheckInterval, clock);
        do
        {
            var state = await completion.ReadAsync(flow, ct);
            var now = clock.GetUtcNow();
            if (state.State == "waiting" && now >= ends) state = new("expired", null);
            if (state.State != "waiting")
            {
                await WriteAsync(http, $"data: {JsonSerializer.Serialize(state, Json)}\n\n", ct);
                return;
            }
            if (now >= beat)
            {
                await WriteAsync(http, ": heartbeat\n\n", ct);
                beat = now + Heartbeat;
            }
        }
        while (await timer.WaitForNextTickAsync(ct));
    }

    private static void Start(HttpContext http)
    {
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-store";
        // nginx (and proxies that honour it) would otherwise buffer the stream and deliver the event late.
        http.Response.Headers["X-Accel-Buffering"] = "no";
        // Any buffering or compressing body feature in the pipeline writes through from here on.
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
    }

    /// <summary>Flushes after every event: each one must reach the browser now, not when a buffer fills.</summary>
    private static async Task WriteAsync(HttpContext http, string text, CancellationToken ct)
    {
        await http.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), ct);
        await http.Response.Body.FlushAsync(ct);
    }
}
