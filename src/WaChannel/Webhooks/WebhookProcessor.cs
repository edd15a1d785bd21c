using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WaIdentity.WaChannel.Configuration;
using WaIdentity.WaChannel.Outbox;
using WaIdentity.WaChannel.Persistence;
using WaIdentity.WaChannel.Telemetry;

namespace WaIdentity.WaChannel.Webhooks;

/// <summary>
/// Acts on stored webhook events off the request path. Each event is claimed with a lease so one node handles it;
/// an event that refers to a message not yet known (a status racing the send's response) is tried again later.
/// </summary>
public sealed class WebhookProcessor(
    IServiceScopeFactory scopes, WebhookSignal signal, IOptions<ChannelOptions> options, TimeProvider clock, IHostApplicationLifetime lifetime,
    ILogger<WebhookProcessor> log)
    : PollingWorker(signal, TimeSpan.FromMilliseconds(options.Value.Dispatch.PollIntervalMilliseconds), lifetime, log)
{
    private const int MaxAttempts = 20;
    private const int Parallelism = 4;
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);


    public override async Task<bool> RunOnceAsync(CancellationToken ct)
    {
        List<Guid> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var now = clock.GetUtcNow();
            due = await scope.ServiceProvider.GetRequiredService<ChannelDbContext>().Set<WebhookEvent>()
                .Where(w => w.ProcessedAt == null && (w.LeaseUntil == null || w.LeaseUntil < now))
                .OrderBy(w => w.ReceivedAt).Select(w => w.Id).Take(50).ToListAsync(ct);
        }
        // Events are handled in parallel: the tracker's (message, state) key and forward-only updates make order irrelevant.
        var progressed = 0;
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct }, async (id, token) =>
        {
            if (await ClaimAsync(id, token) && await HandleAsync(id, token)) Interlocked.Exchange(ref progressed, 1);
        });
        return progressed == 1;
    }

    private async Task<bool> ClaimAsync(Guid id, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var now = clock.GetUtcNow();
        var until = now + Lease;
        return await scope.ServiceProvider.GetRequiredService<ChannelDbContext>().Set<WebhookEvent>()
            .Where(w => w.Id == id && w.ProcessedAt == null && (w.LeaseUntil == null || w.LeaseUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(w => w.LeaseUntil, until), ct) == 1;
    }

    private async Task<bool> HandleAsync(Guid id, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ChannelDbContext>();
        var evt = await db.Set<WebhookEvent>().AsNoTracking().FirstAsync(w => w.Id == id, ct);
        using var activity = ChannelTracing.StartWebhook(evt.Id, evt.Source, evt.TraceParent);
        bool complete;
        try
        {
            complete = evt.Source switch
            {
                "sms" => await scope.ServiceProvider.GetRequiredService<SmsStatusHandler>().HandleAsync(evt.Body, ct),
                Device.GatewayWebhookEndpoint.Source => await scope.ServiceProvider.GetRequiredService<Device.GatewayEventHandler>().HandleAsync(evt.Body, ct),
                _ => await scope.ServiceProvider.GetRequiredService<CloudApiEventHandler>().HandleAsync(evt.Body, ct),
            };
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            log.LogWarning(e, "Webhook event {EventId} could not be processed", id);
            complete = false;
        }
        var now = clock.GetUtcNow();
        var attempts = evt.Attempts + 1;
        // Incomplete: retry after a short, growing delay; give up after MaxAttempts so junk cannot loop forever.
        var done = complete || attempts >= MaxAttempts;
        DateTimeOffset? processedAt = done ? now : null;
        DateTimeOffset? retryAt = done ? null : now.AddMilliseconds(200 * attempts);
        await db.Set<WebhookEvent>().Where(w => w.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(w => w.Attempts, attempts)
            .SetProperty(w => w.ProcessedAt, processedAt)
            .SetProperty(w => w.LeaseUntil, retryAt), ct);
        return complete;
    }
}
