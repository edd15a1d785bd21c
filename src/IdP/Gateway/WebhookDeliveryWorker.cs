using Microsoft.Extensions.Options;
using WaIdentity.WaChannel.Queues;

namespace WaIdentity.IdP.Gateway;

/// <summary>Wakes the webhook deliveries when one was queued on this node.</summary>
internal sealed class WebhookDeliverySignal : WorkSignal;

/// <summary>
/// Sends due webhook deliveries in the background on every node (see <see cref="LeasedQueueWorker{TQueue, TKey}"/>);
/// <see cref="WebhookDeliveryQueue"/> makes each try.
/// </summary>
internal sealed class WebhookDeliveryWorker(
    IServiceScopeFactory scopes, WebhookDeliverySignal signal, IOptions<GatewayOptions> options, TimeProvider clock, IHostApplicationLifetime lifetime,
    ILogger<WebhookDeliveryWorker> log)
    : LeasedQueueWorker<WebhookDeliveryQueue, string>(scopes, signal, Settings(options.Value.Webhooks), clock, lifetime, log)
{
    private static LeasedQueueSettings Settings(WebhookRules rules) =>
        new(rules.BatchSize, rules.Concurrency, TimeSpan.FromSeconds(rules.DeliveryIntervalSeconds));
}
