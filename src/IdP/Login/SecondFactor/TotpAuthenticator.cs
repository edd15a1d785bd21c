using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WaIdentity.IdP.Login.SecondFactor;

/// <summary>
/// A user's authenticator-app secret. Enrolment writes a disabled row; verifying a first code enables it.
/// <see cref="LastUsedStep"/> is the last accepted time step: a code of that step or earlier is refused (no replay).
/// </summary>
internal sealed class TotpAuthenticator
{
    public string UserId { get; set; } = "";
    /// <summary>The secret, encrypted with Data Protection (keys shared through the database).</summary>
    public string ProtectedSecret { get; set; } = "";
    public bool Enabled { get; set; }
    public long LastUsedStep { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? EnabledAt { get; set; }
}

internal sealed class TotpAuthenticatorConfiguration : IEntityTypeConfiguration<TotpAuthenticator>
{
    public void Configure(EntityTypeBuilder<TotpAuthenticator> e)
    {
        e.ToTable("MfaTotpAuthenticators");
        e.HasKey(t => t.UserId);
        e.Property(t => t.ProtectedSecret).HasMaxLength(1000);
    }
}
