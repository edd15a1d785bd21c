using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WaIdentity.IdP.Login.WhatsAppOtp;

/// <summary>
/// Consecutive wrong codes for one phone across all its codes and flows (NIST 800-63B 3.2.2: a new code never resets
/// it; success does). Kept per phone, not per user, so an unknown phone behaves exactly like a known one.
/// </summary>
internal sealed class PhoneFailureCount
{
    public string Phone { get; set; } = "";
    public int Failures { get; set; }
    public DateTimeOffset LastFailureAt { get; set; }
}

internal sealed class PhoneFailureCountConfiguration : IEntityTypeConfiguration<PhoneFailureCount>
{
    public void Configure(EntityTypeBuilder<PhoneFailureCount> e)
    {
        e.ToTable("LoginPhoneFailures");
        e.HasKey(f => f.Phone);
        e.Property(f => f.Phone).HasMaxLength(16);
        e.HasIndex(f => f.LastFailureAt);
    }
}
