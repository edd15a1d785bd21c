using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace WaIdentity.WaChannel.Jobs;

/// <summary>
/// Features declare their recurring jobs here (the channel's own in <c>AddWaChannel</c>); the host's <c>AddQuartz</c>
/// chooses the store they run in (AddQuartz calls add up to one scheduler). On PostgreSQL each run happens once across
/// the cluster.
/// </summary>
public static class RecurringJobRegistration
{
    public static IServiceCollection AddRecurringJob<T>(this IServiceCollection services, string name, TimeSpan interval) where T : class, IJob =>
        services.AddRecurringJob<T>(name, _ => interval);

    /// <summary>A job whose period comes from validated options: <paramref name="interval"/> is read when the scheduler starts.</summary>
    public static IServiceCollection AddRecurringJob<T>(this IServiceCollection services, string name, Func<IServiceProvider, TimeSpan> interval) where T : class, IJob =>
        services.AddQuartz(q =>
        {
            // Durable and recoverable: a run held by a node that dies is re-run by another node (Recovering).
            q.AddJob<T>(j => j.WithIdentity(name).StoreDurably().RequestRecovery());
            // The first run one interval after the scheduler starts, not at start-up. Every node declares the same
            // trigger; Quartz replaces the stored one (SchedulingOptions.OverwriteExistingData), so they do not clash.
            q.AddTrigger<T>((sp, t) =>
            {
                var every = interval(sp);
                t.WithIdentity(name + ".trigger").ForJob(name)
                    .StartAt(DateTimeOffset.UtcNow.Add(every))
                    .WithSimpleSchedule(s => s.WithInterval(every).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount));
            });
        });
}
