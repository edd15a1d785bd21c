using WaIdentity.WaChannel.Jobs;
using WaIdentity.IdP.Configuration;

namespace WaIdentity.IdP.Jobs;

public sealed class JobsOptions : IValidatableOptions
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

public static class JobServices
{
    public static IServiceCollection AddIdpJobs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<JobsOptions>(configuration, JobsOptions.Section);
        var purgeSeconds = configuration.GetValue(JobsOptions.Section + ":PurgeIntervalSeconds", 300);
        services.AddRecurringJob<PurgeExpiredRowsJob>(PurgeExpiredRowsJob.Name, TimeSpan.FromSeconds(Math.Max(1, purgeSeconds)));
        var probeSeconds = configuration.GetValue(JobsOptions.Section + ":ProbeIntervalSeconds", 0);
        if (probeSeconds > 0) services.AddRecurringJob<ClusterProbeJob>(ClusterProbeJob.Name, TimeSpan.FromSeconds(probeSeconds));
        services.AddScoped<JobRunLog>();
        services.AddScoped<IExpiredRowPurger>(sp => sp.GetRequiredService<JobRunLog>());
        services.AddSingleton<SchedulerHost>();
        services.AddHostedService(sp => sp.GetRequiredService<SchedulerHost>());
        return services;
    }
}
