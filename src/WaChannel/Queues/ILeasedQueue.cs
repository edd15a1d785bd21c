namespace WaIdentity.WaChannel.Queues;

/// <summary>
/// A table of work rows that every node reads, as <see cref="LeasedQueueWorker{TQueue, TKey}"/> sees it. A row is
/// worked on only by the node whose claim won (a conditional UPDATE setting owner and lease), and that node records
/// its outcome only while it still owns the row, so two nodes never both process one row, and a node that dies
/// holding a lease delays the row by at most one lease. Registered scoped: each call gets a context of its own.
/// </summary>
public interface ILeasedQueue<TKey>
{
    /// <summary>How long a claim reserves a row; renewed every third of it while the row is processed.</summary>
    TimeSpan Lease { get; }

    /// <summary>Rows due now and not leased (or whose lease ran out), oldest first.</summary>
    Task<IReadOnlyList<TKey>> DueAsync(DateTimeOffset now, int take, CancellationToken ct);

    /// <summary>Leases the row to <paramref name="owner"/> until <paramref name="until"/> if it is still due and free.</summary>
    /// <returns>True when this claim won.</returns>
    Task<bool> ClaimAsync(TKey id, string owner, DateTimeOffset now, DateTimeOffset until, CancellationToken ct);

    /// <summary>Extends the lease while <paramref name="owner"/> still holds it. Runs beside <see cref="ProcessAsync"/>, so it needs a context of its own.</summary>
    Task RenewAsync(TKey id, string owner, DateTimeOffset until, CancellationToken ct);

    /// <summary>
    /// Works on a claimed row and records the outcome under the lease (where owner = <paramref name="owner"/>):
    /// done, or due again after a <see cref="Backoff"/>, or given up; either way the lease is released.
    /// </summary>
    Task ProcessAsync(TKey id, string owner, CancellationToken ct);
}
