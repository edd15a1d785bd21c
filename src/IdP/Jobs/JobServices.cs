using WaIdentity.WaChannel.Jobs;
using Quartz;
using WaIdentity.IdP.Configuration;
using WaIdentity.IdP.Persistence;

namespace WaIdentity.IdP.Jobs;

internal sealed class JobsOptions : IValidatableOptions
{
    public const string Section = "Jobs";

    /// <summary>How often expired rows (codes, counters, tokens) are deleted.</summary>
    public int PurgeIntervalSeconds { get; set; } = 300;

    /// <summary>PostgreSQL only: how often each node tells the cluster it is alive; a node silent for a few of these
    /// is taken for dead and its running jobs are re-run elsewhere.</summary>
    public int ClusterCheckinSeconds { get; set; } = 5;

    /// <summary>Run the cluster probe job this often (0 = never). See ClusterProbeJob.</summary>
    public int ProbeIntervalSeconds { get; set; }

    /// <summary>How long one probe run takes.</summary>
    public int ProbeHoldSeconds { get; set; } = 1;

    public IEnumerable<string> Validate(string section) =>
        OptionRules.InRange($"{section}:PurgeIntervalSeconds", PurgeIntervalSeconds, 1, 86_400)
            .Concat(OptionRules.InRange($"{section}:ClusterCheckinSeconds", ClusterCheckinSeconds, 1, 300))
            .Concat(OptionRules.InRange($"{section}:ProbeIntervalSeconds", ProbeIntervalSeconds, 0, 86_400))
            .Concat(OptionRules.InRange($"{section}:ProbeHoldSeconds", ProbeHoldSeconds, 0, 3_600));
}

internal static class JobServices
{
    /// <summary>The scheduler's name; every node of a cluster shares it (it keys the rows in the qrtz_ tables).</summary>
    private const string SchedulerName = "WaIdentity";

    /// <summary>
    /// Quartz hosted with the app. SQLite: the in-memory store, one node. PostgreSQL: the clustered ADO.NET store
    /// (tables from the schema versions), so each run of a job happens on exactly one node.
    /// </summary>
    public static IServiceCollection AddIdpJobs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<JobsOptions>(configuration, JobsOptions.Section);
        var jobs = configuration.ReadOptions<JobsOptions>(JobsOptions.Section);
        services.AddRecurringJob<PurgeExpiredRowsJob>(PurgeExpiredRowsJob.Name, TimeSpan.FromSeconds(Math.Max(1, jobs.PurgeIntervalSeconds)));
        if (jobs.ProbeIntervalSeconds > 0) services.AddRecurringJob<ClusterProbeJob>(ClusterProbeJob.Name, TimeSpan.FromSeconds(jobs.ProbeIntervalSeconds));
        services.AddScoped<JobRunLog>();
        services.AddScoped<IExpiredRowPurger>(sp => sp.GetRequiredService<JobRunLog>());
        services.AddQuartz(q =>
        {
            q.ConfigureScheduler(s => s.InstanceName = SchedulerName);
            // Triggers run on the wall clock. Tests move the app's TimeProvider forward to expire codes and sessions,
            // and a scheduler on that clock would take each jump for missed firings.
            q.UseTimeProvider(TimeProvider.System);
            q.UseDefaultThreadPool(4);
            q.AddJobMiddleware<JobRunRecording>();
            if (IsPostgreSql(configuration))
                q.UsePersistentStore(store =>
                {
                    store.UsePostgres(configuration[DatabaseOptions.Section + ":ConnectionString"] ?? "");
                    store.UseSystemTextJsonSerializer();
                    store.UseClustering(c => c.CheckinInterval = TimeSpan.FromSeconds(jobs.ClusterCheckinSeconds));
                });
            else q.UseInMemoryStore();
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return services;
    }

    // Read here rather than from DatabaseOptions: the store is chosen while services are registered. A bad value is
    // refused at start-up by DatabaseOptions' validation; until then it only means "not PostgreSQL".
    private static bool IsPostgreSql(IConfiguration configuration) =>
        string.Equals(configuration[DatabaseOptions.Section + ":Provider"], nameof(DatabaseProvider.PostgreSQL), StringComparison.OrdinalIgnoreCase);
}
