using Quartz;

namespace WaIdentity.IdP.Jobs;

/// <summary>Runs every registered <see cref="IExpiredRowPurger"/>, so expired codes, counters and tokens do not pile up.</summary>
[DisallowConcurrentExecution]
internal sealed class PurgeExpiredRowsJob(IEnumerable<IExpiredRowPurger> purgers, TimeProvider clock, ILogger<PurgeExpiredRowsJob> log) : IJob
{
    public const string Name = "purge-expired-rows";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        foreach (var purger in purgers)
        {
            var deleted = await purger.PurgeAsync(now, ct);
            if (deleted > 0) log.LogInformation("Purged {Count} expired {Kind}", deleted, purger.Name);
        }
    }
}
