using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WaIdentity.WaChannel.Configuration;
using WaIdentity.WaChannel.Device;
using WaIdentity.WaChannel.Persistence;
using WaIdentity.WaChannel.Queues;
using WaIdentity.WaChannel.Telemetry;

namespace WaIdentity.WaChannel.Webhooks;

/// <summary>
/// Acts on a claimed batch of stored webhook events, one after another, and decides what becomes of each. Each event
/// gets a scope of its own: a handler that failed halfway (or an inbound subscriber that swallowed its own error) leaves
/// nothing tracked that the next event's save would write.
/// An event that refers to a message not yet known (a status racing the send's response) is tried again after a short,
/// growing delay, and set aside after <c>Webhooks:MaxAttempts</c> tries so junk cannot loop forever.
/// </summary>
internal sealed class WebhookHandling(
    IServiceScopeFactory scopes, IOptions<ChannelOptions> options, TimeProvider clock, ILogger<WebhookHandling> log)
{
    /// <summary>Growing from 200 ms: the send's response that a status raced is usually stored within a second.</summary>
    private static readonly Backoff Retry = new(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5));

    public async Task<WebhookBatchOutcome> HandleAsync(IReadOnlyList<WebhookEvent> batch, CancellationToken ct)
    {
        var outcome = new WebhookBatchOutcome();
        var unfinished = new List<WebhookEvent>();
        foreach (var evt in batch)
        {
            if (ct.IsCancellationRequested)
            {
                outcome.Untried.Add(evt.Id);
                continue;
            }
            switch (await HandleAsync(evt, ct))
            {
                case true: outcome.Done.Add(evt.Id); break;
                case false: unfinished.Add(evt); break;
                case null: outcome.Untried.Add(evt.Id); break;
            }
        }
        // One clock reading for the batch: events on the same try share a due time, so they are recorded together.
        var now = clock.GetUtcNow();
        foreach (var evt in unfinished)
        {
            var attempts = evt.Attempts + 1;
            if (attempts >= options.Value.Webhooks.MaxAttempts) outcome.Done.Add(evt.Id);
            else outcome.RetryAt(now + Retry.Delay(attempts), evt.Id);
        }
        return outcome;
    }

    /// <returns>True when handled, false when it should be tried again, null when cut short because the host is stopping.</returns>
    private async Task<bool?> HandleAsync(WebhookEvent evt, CancellationToken ct)
    {
        using var activity = ChannelTracing.StartWebhook(evt.Id, evt.Source, evt.TraceParent);
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        try
        {
            return evt.Source switch
            {
                "sms" => await services.GetRequiredService<SmsStatusHandler>().HandleAsync(evt.Body, ct),
                GatewayWebhookEndpoint.Source => await services.GetRequiredService<GatewayEventHandler>().HandleAsync(evt.Body, ct),
                _ => await services.GetRequiredService<CloudApiEventHandler>().HandleAsync(evt.Body, ct),
            };
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception e)
        {
            log.LogWarning(e, "Webhook event {EventId} could not be processed", evt.Id);
            return false;
        }
    }
}
