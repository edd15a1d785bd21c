using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WaIdentity.IdP.Gateway;

/// <summary>
/// One WhatsAuth-style phone verification: the app shows the code, the user sends it from WhatsApp, the inbound
/// message proves the sender's number and the app gets a signed callback. Single use.
/// </summary>
public sealed class PhoneVerification
{
    public string Id { get; set; } = "";
    public string ClientId { get; set; } = "";
    /// <summary>SHA-256 of the code: 40 random bits living minutes, so no server key is needed (as send-code login).</summary>
    public string CodeHash { get; set; } = "";
    public string? CallbackUrl { get; set; }
    public string? Phone { get; set; }
    /// <summary>The sender's WhatsApp profile name: untrusted text.</summary>
    public string? ProfileName { get; set; }
    public DateTimeOffset RequestedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? ValidatedAt { get; set; }

    public string Status(DateTimeOffset now) => ValidatedAt is not null ? "validated" : ExpiresAt <= now ? "expired" : "pending";
}

public sealed class PhoneVerificationConfiguration : IEntityTypeConfiguration<PhoneVerification>
{
    public void Configure(EntityTypeBuilder<PhoneVerification> e)
    {
        e.ToTable("GatewayVerifications");
        e.HasKey(v => v.Id);
        e.Property(v => v.Id).HasMaxLength(32);
        e.Property(v => v.ClientId).HasMaxLength(100);
        e.Property(v => v.CodeHash).HasMaxLength(64);
        e.Property(v => v.CallbackUrl).HasMaxLength(2000);
        e.Property(v => v.Phone).HasMaxLength(16);
        e.Property(v => v.ProfileName).HasMaxLength(100);
        e.HasIndex(v => v.CodeHash);
        e.HasIndex(v => v.ExpiresAt);
    }
}
