using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WaIdentity.IdP.Oidc.Revocation;

/// <summary>
/// Deny-list entry for a revoked JWT access token (by jti), kept until the token would have expired anyway. Issuing an
/// access token writes nothing; only revocation does.
/// </summary>
internal sealed class RevokedAccessToken
{
    public string TokenId { get; set; } = "";
    public DateTimeOffset ExpiresAt { get; set; }
}

internal sealed class RevokedAccessTokenConfiguration : IEntityTypeConfiguration<RevokedAccessToken>
{
    public void Configure(EntityTypeBuilder<RevokedAccessToken> e)
    {
        e.ToTable("OidcRevokedAccessTokens");
        e.HasKey(t => t.TokenId);
        e.Property(t => t.TokenId).HasMaxLength(64);
        e.HasIndex(t => t.ExpiresAt);
    }
}
