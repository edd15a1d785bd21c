using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using WaIdentity.WaChannel.Persistence;
using WaIdentity.WaChannel.Telemetry;

namespace WaIdentity.WaChannel.Webhooks;

/// <summary>
/// Stores verified webhook bodies, with the trace context of the request that brought each, and wakes the processor.
/// A request is answered only once its body is committed, so a crash loses nothing the provider was told we have.
/// <para>
/// Bodies that arrive while a commit is under way are stored together in the next one (group commit): one transaction
/// for many events instead of one each. Per event, SQLite's single writer made every insert wait its turn for a commit
/// of its own; a burst of delivery reports now costs a few commits. Whoever finds no commit under way becomes the
/// writer and goes on until the queue is empty; a failed commit fails each of its requests (the provider retries).
/// </para>
/// </summary>
internal sealed class WebhookInbox(IServiceScopeFactory scopes, WebhookSignal signal, TimeProvider clock)
{
    /// <summary>The most events one commit takes; more wait for the next.</summary>
    private const int MaxBatch = 500;

    private readonly ConcurrentQueue<Pending> queue = new();
    private int writing; // 1 while a writer drains the queue

    public Task StoreAsync(string source, string body, CancellationToken ct)
    {
        var pending = new Pending(new WebhookEvent
        {
            Id = Guid.NewGuid(), Source = source, Body = body, ReceivedAt = clock.GetUtcNow(), TraceParent = ChannelTracing.CurrentTraceParent(),
        });
        queue.Enqueue(pending);
        if (Interlocked.CompareExchange(ref writing, 1, 0) == 0) _ = Task.Run(WriteAllAsync, CancellationToken.None);
        return pending.Stored.Task.WaitAsync(ct);
    }

    private async Task WriteAllAsync()
    {
        while (true)
        {
            var batch = Take();
            if (batch.Count > 0)
            {
                await CommitAsync(batch);
                continue;
            }
            Volatile.Write(ref writing, 0);
            // An event queued after Take() found the queue empty, whose caller still saw a writer: take it on again.
            if (queue.IsEmpty || Interlocked.CompareExchange(ref writing, 1, 0) != 0) return;
        }
    }

    private List<Pending> Take()
    {
        var batch = new List<Pending>();
        while (batch.Count < MaxBatch && queue.TryDequeue(out var next)) batch.Add(next);
        return batch;
    }

    private async Task CommitAsync(List<Pending> batch)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ChannelDbContext>();
            db.AddRange(batch.Select(p => p.Event));
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (Exception e)
        {
            foreach (var p in batch) p.Stored.TrySetException(e);
            return;
        }
        foreach (var p in batch) p.Stored.TrySetResult();
        signal.Notify();
    }

    private sealed record Pending(WebhookEvent Event)
    {
        public TaskCompletionSource Stored { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
