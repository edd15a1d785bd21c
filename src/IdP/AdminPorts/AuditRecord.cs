using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WaIdentity.IdP.AdminPorts;

/// <summary>One admin change. Rows are only ever added.</summary>
internal sealed class AuditRecord
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public string ActorId { get; set; } = "";
    public string Action { get; set; } = "";
    public string Target { get; set; } = "";
    public string? Before { get; set; }
    public string? After { get; set; }
}

internal sealed class AuditRecordConfiguration : IEntityTypeConfiguration<AuditRecord>
{
    public void Configure(EntityTypeBuilder<AuditRecord> e)
    {
        e.ToTable("AuditRecords");
        e.Property(r => r.ActorId).HasMaxLength(64);
        e.Property(r => r.Action).HasMaxLength(64);
        e.Property(r => r.Target).HasMaxLength(200);
        e.HasIndex(r => r.At);
    }
}
