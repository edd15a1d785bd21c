using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WaIdentity.WaChannel.Configuration;
using WaIdentity.WaChannel.Queues;

namespace WaIdentity.WaChannel.Webhooks;

/// <summary>
/// Acts on stored webhook events off the request path (see <see cref="LeasedQueueWorker{TQueue, TKey}"/>);
/// <see cref="WebhookHandling"/> handles each. Events are handled in parallel: the tracker's (message, state) key and
/// forward-only updates make their order irrelevant.
/// </summary>
internal sealed class WebhookProcessor(
    IServiceScopeFactory scopes, WebhookSignal signal, IOptions<ChannelOptions> options, TimeProvider clock, IHostApplicationLifetime lifetime,
    ILogger<WebhookProcessor> log)
    : LeasedQueueWorker<WebhookHandling, Guid>(scopes, signal, Settings(options.Value), clock, lifetime, log)
{
    private static LeasedQueueSettings Settings(ChannelOptions o) =>
        new(o.Webhooks.BatchSize, o.Webhooks.Concurrency, TimeSpan.FromMilliseconds(o.Dispatch.PollIntervalMilliseconds));
}
