using Microsoft.EntityFrameworkCore;
using Quartz;
using WaIdentity.IdP.Persistence;

namespace WaIdentity.IdP.Jobs;

/// <summary>Writes a <see cref="JobRun"/> row around every job run, and purges rows older than a week.</summary>
internal sealed class JobRunLog(IdpDbContext db, TimeProvider clock) : IExpiredRowPurger
{
    public string Name => "job runs";

    public async Task<JobRun> StartAsync(IJobExecutionContext context)
    {
        var run = new JobRun
        {
            JobName = context.JobDetail.Key.Name,
            NodeId = context.Scheduler.SchedulerInstanceId,
            FireInstanceId = context.FireInstanceId,
            ScheduledFor = context.ScheduledFireTimeUtc ?? context.FireTimeUtc,
            StartedAt = clock.GetUtcNow(),
            Recovering = context.Recovering,
        };
        db.Set<JobRun>().Add(run);
        await db.SaveChangesAsync(context.CancellationToken);
        return run;
    }

    public async Task FinishAsync(JobRun run, Exception? error)
    {
        run.FinishedAt = clock.GetUtcNow();
        run.Error = error?.GetType().Name;
        await db.SaveChangesAsync();
    }

    public Task<int> PurgeAsync(DateTimeOffset now, CancellationToken ct) =>
        db.Set<JobRun>().Where(r => r.StartedAt < now.AddDays(-7)).ExecuteDeleteAsync(ct);
}
