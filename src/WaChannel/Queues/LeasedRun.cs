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
        return await LeaseHeartbeat.WhileAsync(queue.Lease, clock,
            renewCt => queue.RenewAsync(id, owner, clock.GetUtcNow() + queue.Lease, renewCt),
            e => log.LogWarning(e, "Renewing the lease of {Queue} row {Id} failed", queue.GetType().Name, id),
            async () =>
            {
                await queue.ProcessAsync(id, owner, ct);
                return true;
            }, ct);
    }
}
