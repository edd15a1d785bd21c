using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WaIdentity.IdP.Jobs;

/// <summary>
/// One run of a scheduled job on one node: when it was due, who ran it, whether it finished. Operators read it to see
/// that each job runs once across the cluster and that a dead node's run was taken over (Recovering).
/// </summary>
internal sealed class JobRun
{
    public long Id { get; set; }
    public string JobName { get; set; } = "";
    public string NodeId { get; set; } = "";
    public string FireInstanceId { get; set; } = "";
    public DateTimeOffset ScheduledFor { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public bool Recovering { get; set; }
    public string? Error { get; set; }
}

internal sealed class JobRunConfiguration : IEntityTypeConfiguration<JobRun>
{
    public void Configure(EntityTypeBuilder<JobRun> e)
    {
        e.ToTable("JobRuns");
        e.Property(r => r.JobName).HasMaxLength(100);
        e.Property(r => r.NodeId).HasMaxLength(200);
        e.Property(r => r.FireInstanceId).HasMaxLength(200);
        e.Property(r => r.Error).HasMaxLength(500);
        e.HasIndex(r => r.StartedAt);
    }
}
