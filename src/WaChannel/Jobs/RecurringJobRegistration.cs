using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace WaIdentity.WaChannel.Jobs;

/// <summary>
/// Features declare their recurring jobs here; the IdP's <c>AddIdpJobs</c> chooses the Quartz store they run in
/// (AddQuartz calls add up to one scheduler). On PostgreSQL each run happens once across the cluster.
/// </summary>
public static class RecurringJobRegistration
{
    public static IServiceCollection AddRecurringJob<T>(this IServiceCollection services, string name, TimeSpan interval) where T : class, IJob =>
        services.AddQuartz(q =>
        {
            // Durable and recoverable: a run held by a node that dies is re-run by another node (Recovering).
            q.AddJob<T>(j => j.WithIdentity(name).StoreDurably().RequestRecovery());
            // The first run one interval after the scheduler starts, not at start-up. Every node declares the same
            // trigger; Quartz replaces the stored one (SchedulingOptions.OverwriteExistingData), so they do not clash.
            q.AddTrigger<T>((_, t) => t.WithIdentity(name + ".trigger").ForJob(name)
                .StartAt(DateTimeOffset.UtcNow.Add(interval))
                .WithSimpleSchedule(s => s.WithInterval(interval).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));
        });
}
