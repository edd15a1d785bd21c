using WaIdentity.WaChannel.Jobs;
using System.Collections.Specialized;
using Microsoft.Extensions.Options;
using Quartz;
using Quartz.Impl;
using WaIdentity.IdP.Persistence;

namespace WaIdentity.IdP.Jobs;

/// <summary>
/// Hosts the Quartz scheduler (Quartz.Extensions.Hosting is not served here). SQLite: in-memory store, one node.
/// PostgreSQL: the clustered ADO.NET store, so each run of a job happens on exactly one node.
/// </summary>
public sealed class SchedulerHost(
    IOptions<DatabaseOptions> database, IEnumerable<RecurringJob> jobs, IServiceScopeFactory scopes, ILogger<SchedulerHost> log) : IHostedService
{
    private static readonly SemaphoreSlim RegistryLock = new(1, 1);
    private IScheduler? _scheduler;

    public IScheduler Scheduler => _scheduler ?? throw new InvalidOperationException("The scheduler has not started.");

    public async Task StartAsync(CancellationToken ct)
    {
        var factory = new StdSchedulerFactory(BuildProperties(database.Value));
        // Quartz keeps schedulers in a process-wide registry by name; several hosts in one process (tests) would
        // otherwise share one. Every node still uses the same name, which the clustered store requires. The lock
        // stops a host starting in parallel from picking up another's scheduler between creation and removal.
        await RegistryLock.WaitAsync(ct);
        try
        {
            _scheduler = await factory.GetScheduler(ct);
            Quartz.Impl.SchedulerRepository.Instance.Remove(_scheduler.SchedulerName);
        }
        finally { RegistryLock.Release(); }
        _scheduler.JobFactory = new ServiceProviderJobFactory(scopes);
        foreach (var job in jobs) await ScheduleAsync(_scheduler, job, ct);
        await _scheduler.Start(ct);
        log.LogInformation("Scheduler started with {Count} recurring jobs ({Store})", jobs.Count(), database.Value.Kind);
    }

    public async Task StopAsync(CancellationToken ct)
    {
        if (_scheduler is not null) await _scheduler.Shutdown(waitForJobsToComplete: true, ct);
    }

    private static async Task ScheduleAsync(IScheduler scheduler, RecurringJob job, CancellationToken ct)
    {
        var detail = JobBuilder.Create(job.JobType).WithIdentity(job.Name).StoreDurably().RequestRecovery().Build();
        var trigger = TriggerBuilder.Create().WithIdentity(job.Name + ".trigger").ForJob(detail)
            .StartAt(DateTimeOffset.UtcNow.Add(job.Interval))
            .WithSimpleSchedule(s => s.WithInterval(job.Interval).RepeatForever().WithMisfireHandlingInstructionNextWithRemainingCount())
            .Build();
        // replace: true lets every node (re)declare the same schedule without clashing in the clustered store.
        await scheduler.ScheduleJob(detail, [trigger], replace: true, ct);
    }

    private static NameValueCollection BuildProperties(DatabaseOptions db)
    {
        var p = new NameValueCollection
        {
            ["quartz.scheduler.instanceName"] = "WaIdentity",
            ["quartz.threadPool.maxConcurrency"] = "4",
        };
        if (db.Kind != DatabaseProvider.PostgreSQL)
        {
            p["quartz.jobStore.type"] = "Quartz.Simpl.RAMJobStore, Quartz";
            return p;
        }
        p["quartz.scheduler.instanceId"] = "AUTO";
        p["quartz.jobStore.type"] = "Quartz.Impl.AdoJobStore.JobStoreTX, Quartz";
        p["quartz.jobStore.driverDelegateType"] = "Quartz.Impl.AdoJobStore.PostgreSQLDelegate, Quartz";
        p["quartz.jobStore.tablePrefix"] = "qrtz_";
        p["quartz.jobStore.clustered"] = "true";
        p["quartz.jobStore.clusterCheckinInterval"] = "5000";
        p["quartz.jobStore.dataSource"] = "main";
        p["quartz.dataSource.main.provider"] = "Npgsql";
        p["quartz.dataSource.main.connectionString"] = db.EffectiveConnectionString;
        p["quartz.serializer.type"] = typeof(SystemTextJsonObjectSerializer).AssemblyQualifiedName!;
        return p;
    }
}
