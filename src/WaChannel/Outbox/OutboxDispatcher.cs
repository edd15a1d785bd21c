using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WaIdentity.WaChannel.Configuration;
using WaIdentity.WaChannel.Persistence;

namespace WaIdentity.WaChannel.Outbox;

/// <summary>
/// The background loop that empties the outbox: woken at once by an enqueue on this node, and polling so it also
/// picks up work from other nodes, retries that came due, and messages whose sender died holding a lease.
/// </summary>
public sealed class OutboxDispatcher(
    IServiceScopeFactory scopes, DispatchSignal signal, IOptions<ChannelOptions> options, TimeProvider clock, IHostApplicationLifetime lifetime,
    ILogger<OutboxDispatcher> log)
    : PollingWorker(signal, TimeSpan.FromMilliseconds(options.Value.Dispatch.PollIntervalMilliseconds), lifetime, log)
{
    private const int BatchSize = 32;
    private const int Parallelism = 4;
    private readonly string _node = $"{Environment.ProcessId}-{Guid.NewGuid():N}";


    protected override bool Enabled => options.Value.Dispatch.Enabled;

    public override async Task<bool> RunOnceAsync(CancellationToken ct)
    {
        List<Guid> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var now = clock.GetUtcNow();
            due = await scope.ServiceProvider.GetRequiredService<ChannelDbContext>().Set<OutboundMessage>()
                .Where(m => m.Dispatch == DispatchState.Pending && m.NextAttemptAt <= now && (m.LeaseUntil == null || m.LeaseUntil < now))
                .OrderBy(m => m.NextAttemptAt).Select(m => m.Id).Take(BatchSize).ToListAsync(ct);
        }
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct }, async (id, token) =>
        {
            await using var scope = scopes.CreateAsyncScope();
            try { await scope.ServiceProvider.GetRequiredService<MessageDispatch>().DispatchAsync(id, _node, token); }
            catch (Exception e) when (!token.IsCancellationRequested) { log.LogError(e, "Sending message {MessageId} failed", id); }
        });
        return due.Count > 0;
    }
}
