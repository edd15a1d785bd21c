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
        // Disposing the timer ends the heartbeat without an exception: cancelling it threw an
        // OperationCanceledException for every row (tens a second under load).
        var timer = new PeriodicTimer(queue.Lease / 3, clock);
        var heartbeat = KeepLeaseAsync(queue, id, owner, timer, clock, log, ct);
        try { await queue.ProcessAsync(id, owner, ct); }
        finally
        {
            timer.Dispose();
            await heartbeat;
        }
        return true;
    }

    /// <summary>Extends the lease every third of its length until the timer is disposed, so a slow step never loses its row to another node.</summary>
    private static async Task KeepLeaseAsync<TKey>(ILeasedQueue<TKey> queue, TKey id, string owner, PeriodicTimer timer, TimeProvider clock, ILogger log, CancellationToken ct)
    {
        try
        {
            while (await timer.WaitForNextTickAsync(ct)) await queue.RenewAsync(id, owner, clock.GetUtcNow() + queue.Lease, ct);
        }
        catch (OperationCanceledException) { /* the host is stopping */ }
        catch (Exception e) { log.LogWarning(e, "Renewing the lease of {Queue} row {Id} failed", queue.GetType().Name, id); }
    }
}
