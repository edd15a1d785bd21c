using Quartz;
using Quartz.Spi;

namespace WaIdentity.IdP.Jobs;

/// <summary>Creates each job run in its own DI scope, so jobs can take a DbContext like any request.</summary>
public sealed class ServiceProviderJobFactory(IServiceScopeFactory scopes) : IJobFactory
{
    public IJob NewJob(TriggerFiredBundle bundle, IScheduler scheduler) => new ScopedJob(scopes, bundle.JobDetail.JobType);

    public void ReturnJob(IJob job) { }

    private sealed class ScopedJob(IServiceScopeFactory scopes, Type jobType) : IJob
    {
        public async Task Execute(IJobExecutionContext context)
        {
            await using var scope = scopes.CreateAsyncScope();
            var job = (IJob)scope.ServiceProvider.GetRequiredService(jobType);
            await job.Execute(context);
        }
    }
}
