using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace WaIdentity.WaChannel.Queues;

/// <summary>
/// The loop shared by the channel's background workers: run a batch, go again at once while there was work, otherwise
/// sleep until this node signals new work or the poll interval passes (work written by other nodes, retries that came
/// due, leases that ran out). A failed batch is logged and retried on the next turn.
/// </summary>
public abstract class PollingWorker(WorkSignal signal, TimeSpan poll, IHostApplicationLifetime lifetime, ILogger log) : BackgroundService
{
    /// <returns>True when it found work, so the loop goes again at once.</returns>
    public abstract Task<bool> RunOnceAsync(CancellationToken ct);

    protected virtual bool Enabled => true;

    protected WorkSignal Signal => signal;
    protected ILogger Log => log;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled || !await StartedAsync(stoppingToken)) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            var busy = false;
            try { busy = await RunOnceAsync(stoppingToken); }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested) { log.LogError(e, "{Worker} failed; retrying", GetType().Name); }
            if (!busy)
            {
                try { await signal.WaitAsync(poll, stoppingToken); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    /// <summary>
    /// Waits until the host has started: sandbox providers and emulators need the server's listening address, and a
    /// batch run before it would fail while holding the messages' leases (a restart then delayed them by a lease).
    /// </summary>
    private async Task<bool> StartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var onStart = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        using var onStop = stoppingToken.Register(() => started.TrySetCanceled());
        try { await started.Task; }
        catch (OperationCanceledException) { return false; }
        return true;
    }
}
