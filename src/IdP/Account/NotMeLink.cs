using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WaIdentity.IdP.Account;

/// <summary>
/// A "this was not me" link sent to the phone that completed a send-code login: following it once (within 24 hours)
/// ends that session and revokes its refresh tokens. Keyed by the SHA-256 of the token in the link.
/// </summary>
internal sealed class NotMeLink
{
    public string Id { get; set; } = "";
    public string SessionId { get; set; } = "";
    public string UserId { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
}

internal sealed class NotMeLinkConfiguration : IEntityTypeConfiguration<NotMeLink>
{
    public void Configure(EntityTypeBuilder<NotMeLink> e)
    {
        e.ToTable("AccountNotMeLinks");
        e.Property(l => l.Id).HasMaxLength(64);
        e.Property(l => l.SessionId).HasMaxLength(64);
        e.HasIndex(l => l.ExpiresAt);
    }
}
