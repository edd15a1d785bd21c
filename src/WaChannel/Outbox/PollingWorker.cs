using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace WaIdentity.WaChannel.Outbox;

/// <summary>
/// The loop shared by the channel's background workers: run a batch, go again at once while there was work, otherwise
/// sleep until this node signals new work or the poll interval passes (work written by other nodes, retries that came
/// due, leases that ran out). A failed batch is logged and retried on the next turn.
/// </summary>
public abstract class PollingWorker(WorkSignal signal, TimeSpan poll, ILogger log) : BackgroundService
{
    /// <returns>True when it found work, so the loop goes again at once.</returns>
    public abstract Task<bool> RunOnceAsync(CancellationToken ct);

    protected virtual bool Enabled => true;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled) return;
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
}
