using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace WaIdentity.WaChannel.Queues;

/// <summary>How one node works a leased queue: rows looked at per turn, rows worked on at once, and how often it looks
/// when nothing woke it.</summary>
public sealed record LeasedQueueSettings(int BatchSize, int Concurrency, TimeSpan Poll);

/// <summary>
/// The background loop of the leased queues whose rows are each a call of their own (the outbox's sends, the gateway's
/// app webhooks; the channel's stored webhook events go a batch at a time, see WebhookProcessor):
/// woken at once by new work on this node, and polling so it also picks up work from other nodes, retries that came
/// due, and rows whose worker died holding a lease. Up to <see cref="LeasedQueueSettings.Concurrency"/> rows are worked
/// on at once and the loop never waits for a whole batch: one slow row holds one slot, and the next row goes beside
/// it. Each row is claimed, kept leased and recorded as <see cref="LeasedRun"/> describes.
/// </summary>
public abstract class LeasedQueueWorker<TQueue, TKey>(
    IServiceScopeFactory scopes, WorkSignal signal, LeasedQueueSettings settings, TimeProvider clock, IHostApplicationLifetime lifetime, ILogger log)
    : PollingWorker(signal, settings.Poll, lifetime, log)
    where TQueue : ILeasedQueue<TKey> where TKey : notnull
{
    private readonly string _node = $"{Environment.ProcessId}-{Guid.NewGuid():N}";
    private readonly SemaphoreSlim _slots = new(settings.Concurrency);
    private readonly ConcurrentDictionary<TKey, Task> _inFlight = new();

    public override async Task<bool> RunOnceAsync(CancellationToken ct)
    {
        IReadOnlyList<TKey> due;
        await using (var scope = scopes.CreateAsyncScope())
            due = await scope.ServiceProvider.GetRequiredService<TQueue>().DueAsync(clock.GetUtcNow(), settings.BatchSize + _inFlight.Count, ct);
        var started = 0;
        foreach (var id in due.Where(id => !_inFlight.ContainsKey(id)))
        {
            await _slots.WaitAsync(ct);
            var run = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (!_inFlight.TryAdd(id, run.Task)) { _slots.Release(); continue; }
            started++;
            _ = Task.Run(async () =>
            {
                try { await RunAsync(id, ct); }
                finally
                {
                    _inFlight.TryRemove(id, out _);
                    _slots.Release();
                    run.TrySetResult();
                    // A freed slot may be what the loop is waiting for; finished work may also have queued more.
                    Signal.Notify();
                }
            }, CancellationToken.None);
        }
        return started > 0;
    }

    private async Task RunAsync(TKey id, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        try { await scope.ServiceProvider.GetRequiredService<TQueue>().RunLeasedAsync(id, _node, clock, Log, ct); }
        catch (Exception e) when (!ct.IsCancellationRequested) { Log.LogError(e, "{Queue} row {Id} failed", typeof(TQueue).Name, id); }
        catch (OperationCanceledException) { /* stopping */ }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // Work in flight was cancelled with the loop; let it record what it can before the host goes.
        await Task.WhenAll(_inFlight.Values).WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
    }
}
