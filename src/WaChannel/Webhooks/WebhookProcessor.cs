using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WaIdentity.WaChannel.Configuration;
using WaIdentity.WaChannel.Queues;

namespace WaIdentity.WaChannel.Webhooks;

/// <summary>
/// Acts on stored webhook events off the request path, a batch at a time: one statement claims up to
/// <c>Webhooks:BatchSize</c> due events (<see cref="WebhookLeases"/>), <see cref="WebhookHandling"/> handles them (a
/// scope per event), and a statement or two record the outcomes. Per event, a claim, a read, a mark, a scope and a lease timer cost
/// more than a no-op event's handling and could not keep up with ingestion. Up to <c>Webhooks:Concurrency</c> batches
/// run at once, each in its own scope: the tracker's (message, state) key and forward-only updates make the events'
/// order irrelevant.
/// <para>
/// Not a <see cref="LeasedQueueWorker{TQueue, TKey}"/>: that one claims and records row by row, which the outbox and the
/// app webhooks need (each row is a provider or app call of its own) and which is what made webhooks slow.
/// </para>
/// </summary>
internal sealed class WebhookProcessor(
    IServiceScopeFactory scopes, WebhookSignal signal, IOptions<ChannelOptions> options, TimeProvider clock, IHostApplicationLifetime lifetime,
    ILogger<WebhookProcessor> log)
    : PollingWorker(signal, TimeSpan.FromMilliseconds(options.Value.Dispatch.PollIntervalMilliseconds), lifetime, log)
{
    private readonly string _node = $"{Environment.ProcessId}-{Guid.NewGuid():N}";
    private readonly SemaphoreSlim _slots = new(options.Value.Webhooks.Concurrency);
    private readonly ConcurrentDictionary<string, Task> _inFlight = new();
    private long _batches;

    private int BatchSize => options.Value.Webhooks.BatchSize;

    /// <returns>True when it claimed a full batch: more may be due, so the loop claims again at once.</returns>
    public override async Task<bool> RunOnceAsync(CancellationToken ct)
    {
        // A slot first, then the claim: claimed events never wait for a slot while their lease runs.
        await _slots.WaitAsync(ct);
        var scope = scopes.CreateAsyncScope();
        var owner = $"{_node}-{Interlocked.Increment(ref _batches)}";
        List<WebhookEvent> batch;
        try { batch = await scope.ServiceProvider.GetRequiredService<WebhookLeases>().ClaimAsync(owner, BatchSize, ct); }
        catch
        {
            await EndAsync(scope);
            throw;
        }
        if (batch.Count == 0)
        {
            await EndAsync(scope);
            return false;
        }
        // Marked in flight before it starts, so a batch that ends at once is never left behind in the map.
        var run = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _inFlight[owner] = run.Task;
        _ = Task.Run(async () =>
        {
            try { await RunAsync(scope, owner, batch, ct); }
            finally
            {
                _inFlight.TryRemove(owner, out _);
                await EndAsync(scope);
                run.TrySetResult();
            }
        }, CancellationToken.None);
        return batch.Count == BatchSize;
    }

    private async Task EndAsync(AsyncServiceScope scope)
    {
        await scope.DisposeAsync();
        _slots.Release();
    }

    private async Task RunAsync(AsyncServiceScope scope, string owner, List<WebhookEvent> batch, CancellationToken ct)
    {
        var ids = batch.ConvertAll(e => e.Id);
        try
        {
            var leases = scope.ServiceProvider.GetRequiredService<WebhookLeases>();
            var outcome = await LeaseHeartbeat.WhileAsync(leases.Lease, clock, renewCt => RenewAsync(owner, ids, renewCt),
                e => Log.LogWarning(e, "Renewing the lease of webhook batch {Owner} failed", owner),
                () => scope.ServiceProvider.GetRequiredService<WebhookHandling>().HandleAsync(batch, ct), ct);
            // Recorded even while the host stops (StopAsync waits for it): the untried go back at once rather than after a lease.
            await leases.RecordAsync(owner, outcome, CancellationToken.None);
        }
        catch (Exception e)
        {
            // The events keep their lease and are claimed again once it runs out; handling them twice is harmless.
            Log.LogError(e, "Webhook batch {Owner} of {Count} events failed", owner, batch.Count);
        }
    }

    /// <summary>In a scope of its own: the batch's context is busy with the handling.</summary>
    private async Task RenewAsync(string owner, List<Guid> ids, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<WebhookLeases>().RenewAsync(owner, ids, ct);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // Batches in flight were cancelled with the loop; let them record what they did before the host goes.
        await Task.WhenAll(_inFlight.Values).WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
    }
}
