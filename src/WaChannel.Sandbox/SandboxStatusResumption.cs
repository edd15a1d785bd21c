using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WaIdentity.WaChannel.Configuration;
using WaIdentity.WaChannel.Persistence;

namespace WaIdentity.WaChannel.Sandbox;

/// <summary>
/// At start, in Sandbox: posts the status reports the emulators still owed when the process stopped, as Meta and
/// Twilio retry their webhooks after an outage. Without it a restart would leave accepted messages without a report,
/// and the SMS fallback would send codes again that had reached the phone.
/// </summary>
internal sealed class SandboxStatusResumption(
    ChannelRuntime runtime, IServiceScopeFactory scopes, SandboxStatusSender statuses, IHostApplicationLifetime lifetime) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // After the server listens: the reports go to its own webhook endpoints.
        if (runtime.IsSandbox) lifetime.ApplicationStarted.Register(() => _ = ResumeAsync(lifetime.ApplicationStopping));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task ResumeAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var owed = await scope.ServiceProvider.GetRequiredService<ChannelDbContext>().Set<SandboxMessage>().AsNoTracking()
                .Where(m => m.PendingStatuses != null && !m.Inbound).Select(m => new { m.Id, m.PendingStatuses }).ToListAsync(ct);
            foreach (var message in owed) statuses.Schedule(message.Id, message.PendingStatuses!.Split(','));
        }
        catch (OperationCanceledException) { /* stopping */ }
    }
}
