using Quartz;

namespace WaIdentity.IdP.Jobs;

/// <summary>Wraps every job run in a <see cref="JobRun"/> row (see <see cref="JobRunLog"/>), finished or failed.</summary>
internal sealed class JobRunRecording(IServiceScopeFactory scopes) : IJobExecutionMiddleware
{
    public async ValueTask Invoke(IJobExecutionContext context, JobExecutionDelegate next, CancellationToken ct)
    {
        // Quartz builds one middleware per scheduler from the root container, so the log's DbContext needs a scope of its own.
        await using var scope = scopes.CreateAsyncScope();
        var log = scope.ServiceProvider.GetRequiredService<JobRunLog>();
        var run = await log.StartAsync(context);
        try
        {
            await next(context, ct);
            await log.FinishAsync(run, null);
        }
        catch (Exception e)
        {
            await log.FinishAsync(run, e);
            throw;
        }
    }
}
