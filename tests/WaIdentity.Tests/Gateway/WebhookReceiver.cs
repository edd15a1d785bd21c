using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace WaIdentity.Tests.Gateway;

/// <summary>An app's webhook endpoint on loopback (real Kestrel): records every POST and answers <see cref="Status"/>.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    public sealed record Received(string Path, IReadOnlyDictionary<string, string> Headers, string Body)
    {
        /// <summary>When the request arrived (to measure the gaps between retries).</summary>
        public DateTimeOffset At { get; } = DateTimeOffset.UtcNow;
    }

    private readonly WebApplication _app;
    public ConcurrentQueue<Received> Requests { get; } = new();
    public int Status { get; set; } = 200;
    /// <summary>Answers 500 to this many requests first, then <see cref="Status"/> (a receiver that recovers).</summary>
    public int FailFirst { get; set; }
    /// <summary>When set, every request is recorded and then held unanswered until this completes (an app that is slow to answer).</summary>
    public TaskCompletionSource? Hold { get; set; }
    public Uri BaseAddress { get; private set; } = null!;
    public string Origin => BaseAddress.GetLeftPart(UriPartial.Authority);

    private WebhookReceiver(WebApplication app) => _app = app;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/{**path}", async (HttpContext http) =>
        {
            var body = await new StreamReader(http.Request.Body).ReadToEndAsync();
            receiver.Requests.Enqueue(new Received(http.Request.Path, http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body));
            if (receiver.Hold is { } hold) await hold.Task;
            return Results.StatusCode(receiver.Requests.Count <= receiver.FailFirst ? 500 : receiver.Status);
        });
        await app.StartAsync();
        receiver.BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
