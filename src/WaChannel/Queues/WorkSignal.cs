namespace WaIdentity.WaChannel.Queues;

/// <summary>Wakes a background loop at once when there is new work on this node; other nodes find it by polling.</summary>
public class WorkSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        // A full semaphore already means "wake up"; one pending wake-up is enough. The check spares a thrown
        // SemaphoreFullException (5-12 a second under login load); the catch covers two notifiers racing past it.
        if (_signal.CurrentCount > 0) return;
        try { _signal.Release(); } catch (SemaphoreFullException) { }
    }

    public async Task WaitAsync(TimeSpan timeout, CancellationToken ct) => await _signal.WaitAsync(timeout, ct);
}
