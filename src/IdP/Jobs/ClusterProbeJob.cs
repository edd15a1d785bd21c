using Microsoft.Extensions.Options;
using Quartz;

namespace WaIdentity.IdP.Jobs;

/// <summary>
/// An operations canary, off by default (<c>Jobs:ProbeIntervalSeconds</c> = 0): a job that does nothing but take
/// <c>Jobs:ProbeHoldSeconds</c>. Its rows in JobRuns show that a cluster runs each job once, and that a run held by a
/// node that dies is taken over by another (the cluster test uses it for exactly that).
/// </summary>
[DisallowConcurrentExecution]
internal sealed class ClusterProbeJob(IOptions<JobsOptions> options) : IJob
{
    public const string Name = "cluster-probe";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct) =>
        await Task.Delay(TimeSpan.FromSeconds(options.Value.ProbeHoldSeconds), ct);
}
