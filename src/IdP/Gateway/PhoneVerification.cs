using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WaIdentity.IdP.Login.SendCode;

namespace WaIdentity.IdP.Gateway;

/// <summary>
/// One WhatsAuth-style phone verification: the app shows the code, the user sends it from WhatsApp, the inbound
/// message proves the sender's number (<see cref="SentCodeChallenges"/>) and the app gets a signed callback. Single use.
/// The API does not offer <see cref="SentCodeChallenge.ExpectedPhone"/> (yet): any sender proves a verification.
/// <see cref="SentCodeChallenge.CreatedAt"/> and <see cref="SentCodeChallenge.ProvenAt"/> are the API's requested_at
/// and validated_at.
/// </summary>
internal sealed class PhoneVerification : SentCodeChallenge
{
    public string ClientId { get; set; } = "";
    public string? CallbackUrl { get; set; }

    /// <summary>WhatsAuth's words: validated, expired or pending (a refused one, never made by this API, is expired).</summary>
    public string Status(DateTimeOffset now) => Stage(now) switch
    {
        SentCodeStage.Proven => "validated",
        SentCodeStage.Waiting => "pending",
        _ => "expired",
    };
}

internal sealed class PhoneVerificationConfiguration : IEntityTypeConfiguration<PhoneVerification>
{
    public void Configure(EntityTypeBuilder<PhoneVerification> e)
    {
        e.ToTable("GatewayVerifications");
        SentCodeChallenge.Configure(e);
        e.Property(v => v.ClientId).HasMaxLength(100);
        e.Property(v => v.CallbackUrl).HasMaxLength(2000);
        e.Property(v => v.ProvenPhone).HasColumnName("Phone");
        e.Property(v => v.CreatedAt).HasColumnName("RequestedAt");
        e.Property(v => v.ProvenAt).HasColumnName("ValidatedAt");
    }
}
