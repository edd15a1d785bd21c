namespace WaIdentity.WaChannel.Queues;

/// <summary>
/// Keeps a lease alive while work runs: renews it every third of its length until the work ends, so a slow step never
/// loses its rows to another node. Shared by the row-by-row queues (<see cref="LeasedRun"/>) and the webhook batches.
/// </summary>
internal static class LeaseHeartbeat
{
    public static async Task<T> WhileAsync<T>(TimeSpan lease, TimeProvider clock, Func<CancellationToken, Task> renew,
        Action<Exception> renewFailed, Func<Task<T>> work, CancellationToken ct)
    {
        // Disposing the timer ends the heartbeat without an exception: cancelling it threw an
        // OperationCanceledException for every row (tens a second under load).
        var timer = new PeriodicTimer(lease / 3, clock);
        var heartbeat = BeatAsync(timer, renew, renewFailed, ct);
        try { return await work(); }
        finally
        {
            timer.Dispose();
            await heartbeat;
        }
    }

    private static async Task BeatAsync(PeriodicTimer timer, Func<CancellationToken, Task> renew, Action<Exception> renewFailed, CancellationToken ct)
    {
        try
        {
            while (await timer.WaitForNextTickAsync(ct)) await renew(ct);
        }
        catch (OperationCanceledException) { /* the host is stopping */ }
        catch (Exception e) { renewFailed(e); }
    }
}
