using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WaIdentity.WaChannel.Configuration;
using WaIdentity.WaChannel.Queues;

namespace WaIdentity.WaChannel.Outbox;

/// <summary>
/// The background loop that empties the outbox (see <see cref="LeasedQueueWorker{TQueue, TKey}"/>): up to
/// <c>Dispatch:Concurrency</c> sends run at once, so a slow provider call holds one slot and the next person's code
/// goes out beside it. <see cref="MessageDispatch"/> sends each message.
/// </summary>
internal sealed class OutboxDispatcher(
    IServiceScopeFactory scopes, DispatchSignal signal, IOptions<ChannelOptions> options, TimeProvider clock, IHostApplicationLifetime lifetime,
    ILogger<OutboxDispatcher> log)
    : LeasedQueueWorker<MessageDispatch, Guid>(scopes, signal, Settings(options.Value.Dispatch), clock, lifetime, log)
{
    protected override bool Enabled => options.Value.Dispatch.Enabled;

    private static LeasedQueueSettings Settings(DispatchOptions o) =>
        new(o.BatchSize, o.Concurrency, TimeSpan.FromMilliseconds(o.PollIntervalMilliseconds));
}
