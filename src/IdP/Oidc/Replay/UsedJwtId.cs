using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WaIdentity.IdP.Oidc.Replay;

/// <summary>A one-time JWT id already seen (a client assertion's jti), kept until the JWT would have expired.</summary>
internal sealed class UsedJwtId
{
    /// <summary>SHA-256 of "kind:issuer:jti", so ids of different kinds and clients never collide.</summary>
    public string Key { get; set; } = "";
    public DateTimeOffset ExpiresAt { get; set; }
}

internal sealed class UsedJwtIdConfiguration : IEntityTypeConfiguration<UsedJwtId>
{
    public void Configure(EntityTypeBuilder<UsedJwtId> e)
    {
        e.ToTable("OidcUsedJwtIds");
        e.HasKey(u => u.Key);
        e.Property(u => u.Key).HasMaxLength(64);
        e.HasIndex(u => u.ExpiresAt);
    }
}
