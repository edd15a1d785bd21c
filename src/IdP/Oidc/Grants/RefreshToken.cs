using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WaIdentity.IdP.Oidc.Grants;

/// <summary>
/// One refresh token of a rotation family, keyed by the SHA-256 of the token. Using it consumes it and issues the
/// next one in the same family; presenting a consumed one again revokes the family (RFC 9700 4.14.2).
/// <see cref="FamilyExpiresAt"/> is the absolute lifetime, <see cref="ExpiresAt"/> the idle one.
/// </summary>
internal sealed class RefreshToken
{
    public string Id { get; set; } = "";
    public string FamilyId { get; set; } = "";
    public string ClientId { get; set; } = "";
    public string UserId { get; set; } = "";
    public string SessionId { get; set; } = "";
    /// <summary>The authorization code that started the family (its hash).</summary>
    public string? CodeId { get; set; }
    public string Scope { get; set; } = "";
    public string Amr { get; set; } = "";
    public string Acr { get; set; } = "";
    public DateTimeOffset AuthTime { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset FamilyExpiresAt { get; set; }
    public DateTimeOffset? ConsumedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    /// <summary>The jti of the access token issued with this refresh token, revoked with the family.</summary>
    public string? AccessTokenId { get; set; }
    public DateTimeOffset? AccessTokenExpiresAt { get; set; }
    /// <summary>The DPoP key (RFC 7638 thumbprint) a public client's family is bound to (RFC 9449 5): each refresh needs a proof with it.</summary>
    public string? DpopJkt { get; set; }
}

internal sealed class RefreshTokenConfiguration : IEntityTypeConfiguration<RefreshToken>
{
    public void Configure(EntityTypeBuilder<RefreshToken> e)
    {
        e.ToTable("OidcRefreshTokens");
        e.Property(t => t.Id).HasMaxLength(64);
        e.Property(t => t.FamilyId).HasMaxLength(64);
        e.Property(t => t.ClientId).HasMaxLength(100);
        e.Property(t => t.SessionId).HasMaxLength(64);
        e.Property(t => t.CodeId).HasMaxLength(64);
        e.Property(t => t.AccessTokenId).HasMaxLength(64);
        e.Property(t => t.DpopJkt).HasMaxLength(43);
        e.HasIndex(t => t.FamilyId);
        e.HasIndex(t => t.CodeId);
        e.HasIndex(t => t.FamilyExpiresAt);
    }
}
