using WaIdentity.WaChannel.Jobs;
using WaIdentity.IdP.Configuration;

namespace WaIdentity.IdP.Jobs;

public sealed class JobsOptions : IValidatableOptions
{
    public const string Section = "Jobs";

    /// <summary>How often expired rows (codes, counters, tokens) are deleted.</summary>
    public int PurgeIntervalSeconds { get; set; } = 300;

    public IEnumerable<string> Validate(string section) =>
        OptionRules.InRange($"{section}:PurgeIntervalSeconds", PurgeIntervalSeconds, 1, 86_400);
}

public static class JobServices
{
    public static IServiceCollection AddIdpJobs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<JobsOptions>(configuration, JobsOptions.Section);
        var purgeSeconds = configuration.GetValue(JobsOptions.Section + ":PurgeIntervalSeconds", 300);
        services.AddRecurringJob<PurgeExpiredRowsJob>(PurgeExpiredRowsJob.Name, TimeSpan.FromSeconds(Math.Max(1, purgeSeconds)));
        services.AddSingleton<SchedulerHost>();
        services.AddHostedService(sp => sp.GetRequiredService<SchedulerHost>());
        return services;
    }
}
