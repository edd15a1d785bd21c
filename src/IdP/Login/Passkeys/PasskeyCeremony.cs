using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WaIdentity.IdP.Login.Passkeys;

/// <summary>What a ceremony is for: its answer is accepted only by the step that began it.</summary>
internal enum PasskeyPurpose
{
    Register = 1,
    SignIn = 2,
    SecondFactor = 3,
}

/// <summary>
/// One WebAuthn ceremony in progress: the options (with their challenge) the browser was given, whom they were for and
/// until when. Its id lives only in the browser's HttpOnly cookie; answering deletes the row, so a challenge is used once.
/// </summary>
internal sealed class PasskeyCeremony
{
    public string Id { get; set; } = "";
    public PasskeyPurpose Purpose { get; set; }
    /// <summary>The user the ceremony is for (registration, second factor); null for a sign-in.</summary>
    public string? UserId { get; set; }
    /// <summary>The session that began a registration.</summary>
    public string? SessionId { get; set; }
    /// <summary>The options as sent (Fido2's JSON), to verify the answer against.</summary>
    public string OptionsJson { get; set; } = "";
    public DateTimeOffset ExpiresAt { get; set; }
}

internal sealed class PasskeyCeremonyConfiguration : IEntityTypeConfiguration<PasskeyCeremony>
{
    public void Configure(EntityTypeBuilder<PasskeyCeremony> e)
    {
        e.ToTable("PasskeyCeremonies");
        e.Property(c => c.Id).HasMaxLength(64);
        e.Property(c => c.SessionId).HasMaxLength(64);
        e.Property(c => c.OptionsJson).HasMaxLength(8000);
        e.HasIndex(c => c.ExpiresAt);
    }
}
