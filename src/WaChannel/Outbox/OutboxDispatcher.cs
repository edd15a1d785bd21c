using System.Collections.Concurrent;
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
/// picks up work from other nodes, retries that came due, and messages whose sender died holding a lease. Up to
/// <c>Dispatch:Concurrency</c> sends run at once and the loop never waits for a whole batch: a slow provider call
/// holds one slot, and the next person's code goes out beside it.
/// </summary>
public sealed class OutboxDispatcher(
    IServiceScopeFactory scopes, DispatchSignal signal, IOptions<ChannelOptions> options, TimeProvider clock, IHostApplicationLifetime lifetime,
    ILogger<OutboxDispatcher> log)
    : PollingWorker(signal, TimeSpan.FromMilliseconds(options.Value.Dispatch.PollIntervalMilliseconds), lifetime, log)
{
    private const int BatchSize = 32;
    private readonly string _node = $"{Environment.ProcessId}-{Guid.NewGuid():N}";
    private readonly SemaphoreSlim _slots = new(options.Value.Dispatch.Concurrency);
    private readonly ConcurrentDictionary<Guid, Task> _inFlight = new();

    protected override bool Enabled => options.Value.Dispatch.Enabled;

    public override async Task<bool> RunOnceAsync(CancellationToken ct)
    {
        List<Guid> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var now = clock.GetUtcNow();
            due = await scope.ServiceProvider.GetRequiredService<ChannelDbContext>().Set<OutboundMessage>()
                .Where(m => m.Dispatch == DispatchState.Pending && m.NextAttemptAt <= now && (m.LeaseUntil == null || m.LeaseUntil < now))
                .OrderBy(m => m.NextAttemptAt).Select(m => m.Id).Take(BatchSize + _inFlight.Count).ToListAsync(ct);
        }
        var started = 0;
        foreach (var id in due.Where(id => !_inFlight.ContainsKey(id)))
        {
            await _slots.WaitAsync(ct);
            var send = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (!_inFlight.TryAdd(id, send.Task)) { _slots.Release(); continue; }
            started++;
            _ = Task.Run(async () =>
            {
                try { await DispatchAsync(id, ct); }
                finally
                {
                    _inFlight.TryRemove(id, out _);
                    _slots.Release();
                    send.TrySetResult();
                    // A freed slot may be what the loop is waiting for; a finished send may also have queued a fallback.
                    signal.Notify();
                }
            }, CancellationToken.None);
        }
        return started > 0;
    }

    private async Task DispatchAsync(Guid id, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        try { await scope.ServiceProvider.GetRequiredService<MessageDispatch>().DispatchAsync(id, _node, ct); }
        catch (Exception e) when (!ct.IsCancellationRequested) { log.LogError(e, "Sending message {MessageId} failed", id); }
        catch (OperationCanceledException) { /* stopping */ }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // Sends in flight were cancelled with the loop; let them record what they can before the host goes.
        await Task.WhenAll(_inFlight.Values).WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
    }
}
