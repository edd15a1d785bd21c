using Quartz;
using Quartz.Spi;

namespace WaIdentity.IdP.Jobs;

/// <summary>Creates each job run in its own DI scope, so jobs can take a DbContext like any request, and logs the run.</summary>
public sealed class ServiceProviderJobFactory(IServiceScopeFactory scopes) : IJobFactory
{
    public IJob NewJob(TriggerFiredBundle bundle, IScheduler scheduler) => new ScopedJob(scopes, bundle.JobDetail.JobType);

    public void ReturnJob(IJob job) { }

    private sealed class ScopedJob(IServiceScopeFactory scopes, Type jobType) : IJob
    {
        public async Task Execute(IJobExecutionContext context)
        {
            await using var scope = scopes.CreateAsyncScope();
            var log = scope.ServiceProvider.GetRequiredService<JobRunLog>();
            var run = await log.StartAsync(context);
            try
            {
                await ((IJob)scope.ServiceProvider.GetRequiredService(jobType)).Execute(context);
                await log.FinishAsync(run, null);
            }
            catch (Exception e)
            {
                await log.FinishAsync(run, e);
                throw;
            }
        }
    }
}
