using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WaIdentity.IdP.Login.SecondFactor;

/// <summary>One single-use recovery code (80 random bits), kept as a salted SHA-256 (the row id is the salt).</summary>
internal sealed class RecoveryCode
{
    public string Id { get; set; } = "";
    public string UserId { get; set; } = "";
    public string CodeHash { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
}

internal sealed class RecoveryCodeConfiguration : IEntityTypeConfiguration<RecoveryCode>
{
    public void Configure(EntityTypeBuilder<RecoveryCode> e)
    {
        e.ToTable("MfaRecoveryCodes");
        e.Property(c => c.Id).HasMaxLength(32);
        e.Property(c => c.CodeHash).HasMaxLength(64);
        e.HasIndex(c => c.UserId);
    }
}
