using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WaIdentity.IdP.Login.SendCode;

/// <summary>Where a challenge stands; each use names the stages in its own words.</summary>
internal enum SentCodeStage { Waiting, Proven, Refused, Expired }

/// <summary>
/// What every stored <see cref="SentCode"/> challenge has, whatever its sender proves (a login, an app's phone
/// verification), for <see cref="SentCodeChallenges"/>. Not an entity of its own: each use has its own table with
/// these columns and what only it needs.
/// </summary>
internal abstract class SentCodeChallenge
{
    public string Id { get; set; } = "";
    public string CodeHash { get; set; } = "";
    /// <summary>When set, only a message from this number may prove the challenge; another sender refuses it.</summary>
    public string? ExpectedPhone { get; set; }
    public string? ProvenPhone { get; set; }
    /// <summary>The sender's WhatsApp profile name: untrusted text, only ever shown encoded.</summary>
    public string? ProfileName { get; set; }
    public bool Refused { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? ProvenAt { get; set; }

    public SentCodeStage Stage(DateTimeOffset now) =>
        Refused ? SentCodeStage.Refused
        : ProvenPhone is not null ? SentCodeStage.Proven
        : ExpiresAt <= now ? SentCodeStage.Expired
        : SentCodeStage.Waiting;

    /// <summary>The shared columns' lengths and the indexes the matcher and the purge read by.</summary>
    public static void Configure<T>(EntityTypeBuilder<T> e) where T : SentCodeChallenge
    {
        e.HasKey(c => c.Id);
        e.Property(c => c.Id).HasMaxLength(32);
        e.Property(c => c.CodeHash).HasMaxLength(64);
        e.Property(c => c.ExpectedPhone).HasMaxLength(16);
        e.Property(c => c.ProvenPhone).HasMaxLength(16);
        e.Property(c => c.ProfileName).HasMaxLength(100);
        e.HasIndex(c => c.CodeHash);
        e.HasIndex(c => c.ExpiresAt);
    }
}
