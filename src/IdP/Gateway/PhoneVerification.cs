using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WaIdentity.IdP.Login.SendCode;

namespace WaIdentity.IdP.Gateway;

/// <summary>
/// One WhatsAuth-style phone verification: the app shows the code, the user sends it from WhatsApp, the inbound
/// message proves the sender's number (<see cref="SentCodeChallenges"/>) and the app gets a signed callback. Single use.
/// </summary>
public sealed class PhoneVerification : ISentCodeChallenge
{
    public string Id { get; set; } = "";
    public string ClientId { get; set; } = "";
    public string CodeHash { get; set; } = "";
    public string? CallbackUrl { get; set; }
    /// <summary>Not offered by the API yet: every sender may prove a verification.</summary>
    public string? ExpectedPhone { get; set; }
    public string? ProvenPhone { get; set; }
    public string? ProfileName { get; set; }
    public bool Refused { get; set; }
    /// <summary>requested_at in the API.</summary>
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    /// <summary>validated_at in the API.</summary>
    public DateTimeOffset? ProvenAt { get; set; }

    /// <summary>WhatsAuth's words: validated, expired or pending (a refused one, never made by this API, is expired).</summary>
    public string Status(DateTimeOffset now) => this.Stage(now) switch
    {
        SentCodeStage.Proven => "validated",
        SentCodeStage.Waiting => "pending",
        _ => "expired",
    };
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
        e.Property(v => v.ExpectedPhone).HasMaxLength(16);
        e.Property(v => v.ProvenPhone).HasColumnName("Phone").HasMaxLength(16);
        e.Property(v => v.ProfileName).HasMaxLength(100);
        e.Property(v => v.CreatedAt).HasColumnName("RequestedAt");
        e.Property(v => v.ProvenAt).HasColumnName("ValidatedAt");
        e.HasIndex(v => v.CodeHash);
        e.HasIndex(v => v.ExpiresAt);
    }
}
