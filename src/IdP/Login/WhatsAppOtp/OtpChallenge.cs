using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WaIdentity.IdP.Login.WhatsAppOtp;

/// <summary>
/// One code for one phone and purpose. A phone holds at most one live code per purpose: a resend, "send by SMS
/// instead" or another browser asking for the same phone re-sends this code (the Twilio Verify model) instead of
/// making a new one, so the wrong-attempt cap is one target for a guesser. Only the HMAC of the code is kept for
/// checking; the code itself is kept encrypted for re-sending while it lives and dropped once it is used.
/// </summary>
internal sealed class OtpChallenge
{
    public string Id { get; set; } = "";
    /// <summary>SHA-256 of the flow that created the code; every flow allowed to use it is in <see cref="OtpChallengeFlow"/>.</summary>
    public string FlowHash { get; set; } = "";
    public string Phone { get; set; } = "";
    /// <summary>"login", "mfa", "phone-change": codes for different purposes never stand in for each other.</summary>
    public string Purpose { get; set; } = OtpPurposes.Login;
    public string CodeHash { get; set; } = "";
    /// <summary>The code sealed with Data Protection, for re-sending it while it lives; null once used or dead.</summary>
    public string? ProtectedCode { get; set; }
    /// <summary>The channel message id (ICodeSender handle) of the latest send, for the live delivery state.</summary>
    public string? MessageId { get; set; }
    /// <summary>"wa" or "sms": the channel asked for in the latest send; the delivery status says what really happened.</summary>
    public string RequestedChannel { get; set; } = "";
    /// <summary>How many times this code was sent (first send, resends and channel switches).</summary>
    public int Sends { get; set; } = 1;
    public DateTimeOffset? LastSentAt { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? ConsumedAt { get; set; }
    /// <summary>SHA-256 of the flow that used the code: only that flow may finish a login the code started.</summary>
    public string? ConsumedByFlow { get; set; }
    /// <summary>When the login the code started was finished (its session made). Null after <see cref="ConsumedAt"/>
    /// means the work after the code was cut short (a crash, a lost connection): the same flow may finish it.</summary>
    public DateTimeOffset? FinishedAt { get; set; }
    /// <summary>A request of the flow is finishing the login until then; another request of the same flow may take the
    /// unfinished code over only after it (a crashed request never gives it back), or at once when the request failed
    /// and released it (<see cref="OtpVerifier.ReleaseAsync"/>).</summary>
    public DateTimeOffset? ClaimedUntil { get; set; }

    public DateTimeOffset SentAt => LastSentAt ?? CreatedAt;
}

/// <summary>A browser login flow that asked for a code and may therefore use it.</summary>
internal sealed class OtpChallengeFlow
{
    public string ChallengeId { get; set; } = "";
    public string FlowHash { get; set; } = "";
}

internal static class OtpPurposes
{
    public const string Login = "login";
}

internal sealed class OtpChallengeConfiguration : IEntityTypeConfiguration<OtpChallenge>
{
    public void Configure(EntityTypeBuilder<OtpChallenge> e)
    {
        e.ToTable("LoginOtpChallenges");
        e.Property(c => c.Id).HasMaxLength(32);
        e.Property(c => c.FlowHash).HasMaxLength(64);
        e.Property(c => c.Phone).HasMaxLength(16);
        e.Property(c => c.Purpose).HasMaxLength(16);
        e.Property(c => c.CodeHash).HasMaxLength(64);
        e.Property(c => c.MessageId).HasMaxLength(32);
        e.Property(c => c.RequestedChannel).HasMaxLength(8);
        e.Property(c => c.ConsumedByFlow).HasMaxLength(64);
        e.Ignore(c => c.SentAt);
        e.HasIndex(c => c.FlowHash);
        e.HasIndex(c => c.ExpiresAt);
        e.HasIndex(c => new { c.Phone, c.Purpose });
    }
}

internal sealed class OtpChallengeFlowConfiguration : IEntityTypeConfiguration<OtpChallengeFlow>
{
    public void Configure(EntityTypeBuilder<OtpChallengeFlow> e)
    {
        e.ToTable("LoginOtpChallengeFlows");
        e.HasKey(f => new { f.ChallengeId, f.FlowHash });
        e.Property(f => f.ChallengeId).HasMaxLength(32);
        e.Property(f => f.FlowHash).HasMaxLength(64);
        e.HasIndex(f => f.FlowHash);
    }
}
