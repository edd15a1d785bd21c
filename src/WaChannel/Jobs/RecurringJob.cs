using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace WaIdentity.WaChannel.Jobs;

/// <summary>
/// A job that runs every <see cref="Interval"/>. Features register one with <c>services.AddRecurringJob&lt;T&gt;</c>;
/// the IdP's scheduler host schedules them all. On PostgreSQL each runs once across the cluster.
/// </summary>
public sealed record RecurringJob(Type JobType, string Name, TimeSpan Interval);

public static class RecurringJobRegistration
{
    public static IServiceCollection AddRecurringJob<T>(this IServiceCollection services, string name, TimeSpan interval) where T : class, IJob
    {
        services.AddTransient<T>();
        services.AddSingleton(new RecurringJob(typeof(T), name, interval));
        return services;
    }
}
