using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WaIdentity.IdP.Login.WhatsAppOtp;

/// <summary>
/// One code sent for one browser login flow. Only the HMAC of the code is kept. A flow may hold several live codes
/// (a resend or "send by SMS instead" adds one; the earlier code stays valid until it expires or dies).
/// </summary>
public sealed class OtpChallenge
{
    public string Id { get; set; } = "";
    /// <summary>SHA-256 of the flow id from the browser's flow cookie: a code works only in the browser that asked.</summary>
    public string FlowHash { get; set; } = "";
    public string Phone { get; set; } = "";
    public string CodeHash { get; set; } = "";
    /// <summary>The channel message id (ICodeSender handle), for the live delivery state.</summary>
    public string? MessageId { get; set; }
    /// <summary>"wa" or "sms": what the user asked for; the delivery status says what really happened.</summary>
    public string RequestedChannel { get; set; } = "";
    public int Attempts { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? ConsumedAt { get; set; }
}

public sealed class OtpChallengeConfiguration : IEntityTypeConfiguration<OtpChallenge>
{
    public void Configure(EntityTypeBuilder<OtpChallenge> e)
    {
        e.ToTable("LoginOtpChallenges");
        e.Property(c => c.Id).HasMaxLength(32);
        e.Property(c => c.FlowHash).HasMaxLength(64);
        e.Property(c => c.Phone).HasMaxLength(16);
        e.Property(c => c.CodeHash).HasMaxLength(64);
        e.Property(c => c.MessageId).HasMaxLength(32);
        e.Property(c => c.RequestedChannel).HasMaxLength(8);
        e.HasIndex(c => c.FlowHash);
        e.HasIndex(c => c.ExpiresAt);
    }
}
