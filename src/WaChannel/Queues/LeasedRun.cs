using Microsoft.Extensions.Logging;

namespace WaIdentity.WaChannel.Queues;

/// <summary>One row of a <see cref="ILeasedQueue{TKey}"/>: claim it, process it while the lease is kept alive, done.</summary>
internal static class LeasedRun
{
    /// <returns>False when another node (or another loop on this one) holds the row, or it is no longer due.</returns>
    public static async Task<bool> RunLeasedAsync<TKey>(this ILeasedQueue<TKey> queue, TKey id, string owner, TimeProvider clock, ILogger log, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (!await queue.ClaimAsync(id, owner, now, now + queue.Lease, ct)) return false;
        using var processing = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var heartbeat = KeepLeaseAsync(queue, id, owner, clock, log, processing.Token);
        try { await queue.ProcessAsync(id, owner, ct); }
        finally
        {
            await processing.CancelAsync();
            await heartbeat;
        }
        return true;
    }

    /// <summary>Extends the lease every third of its length until cancelled, so a slow step never loses its row to another node.</summary>
    private static async Task KeepLeaseAsync<TKey>(ILeasedQueue<TKey> queue, TKey id, string owner, TimeProvider clock, ILogger log, CancellationToken ct)
    {
        try
        {
            using var timer = new PeriodicTimer(queue.Lease / 3, clock);
            while (await timer.WaitForNextTickAsync(ct)) await queue.RenewAsync(id, owner, clock.GetUtcNow() + queue.Lease, ct);
        }
        catch (OperationCanceledException) { /* the work finished */ }
        catch (Exception e) { log.LogWarning(e, "Renewing the lease of {Queue} row {Id} failed", queue.GetType().Name, id); }
    }
}
