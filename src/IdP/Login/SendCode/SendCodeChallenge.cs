using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WaIdentity.IdP.Login.SendCode;

/// <summary>
/// One send-code login: the browser shows a code, the user sends it from WhatsApp, the inbound message proves the
/// sender's number (<see cref="SentCodeChallenges"/>). Single use, short-lived, bound to the browser flow that shows it.
/// </summary>
public sealed class SendCodeChallenge : ISentCodeChallenge
{
    public string Id { get; set; } = "";
    public string FlowHash { get; set; } = "";
    public string CodeHash { get; set; } = "";
    /// <summary>From login_hint: only a message from this number may prove the login.</summary>
    public string? ExpectedPhone { get; set; }
    public string? ProvenPhone { get; set; }
    public string? ProfileName { get; set; }
    public bool Refused { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? ProvenAt { get; set; }
    /// <summary>When the browser completed the login with the proven number (once).</summary>
    public DateTimeOffset? ConsumedAt { get; set; }
    /// <summary>The W3C trace context of the request that showed the code, so the inbound message that proves it is
    /// placed in the login's trace (<see cref="LoginTracing"/>); null when untraced.</summary>
    public string? TraceParent { get; set; }
}

public sealed class SendCodeChallengeConfiguration : IEntityTypeConfiguration<SendCodeChallenge>
{
    public void Configure(EntityTypeBuilder<SendCodeChallenge> e)
    {
        e.ToTable("LoginSendCodes");
        e.Property(c => c.Id).HasMaxLength(32);
        e.Property(c => c.FlowHash).HasMaxLength(64);
        e.Property(c => c.CodeHash).HasMaxLength(64);
        e.Property(c => c.ExpectedPhone).HasMaxLength(16);
        e.Property(c => c.ProvenPhone).HasMaxLength(16);
        e.Property(c => c.ProfileName).HasMaxLength(100);
        e.Property(c => c.TraceParent).HasMaxLength(55);
        e.HasIndex(c => c.FlowHash);
        e.HasIndex(c => c.CodeHash);
        e.HasIndex(c => c.ExpiresAt);
    }
}
