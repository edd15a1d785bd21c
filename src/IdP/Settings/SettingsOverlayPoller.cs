using Microsoft.Extensions.Options;

namespace WaIdentity.IdP.Settings;

/// <summary>Loads the overlay before any other hosted service starts, then follows changes from other nodes.</summary>
internal sealed class SettingsOverlayPoller(SettingsOverlayLoader loader, IOptions<SettingsOptions> options, ILogger<SettingsOverlayPoller> log)
    : BackgroundService, IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken ct) => loader.ReloadAsync(ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.PollSeconds));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try { await loader.ReloadAsync(stoppingToken); }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "Settings overlay poll failed; keeping the settings loaded before");
            }
        }
    }

    public Task StartedAsync(CancellationToken ct) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken ct) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken ct) => Task.CompletedTask;
}
