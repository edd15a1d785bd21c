using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WaIdentity.IdP.Oidc.Grants;

/// <summary>
/// An issued authorization code, keyed by the SHA-256 of the code (the code itself is never stored). Single use:
/// <see cref="RedeemedAt"/> is set atomically; a second use revokes <see cref="AccessTokenId"/> and the refresh family.
/// </summary>
internal sealed class AuthorizationCode
{
    public string Id { get; set; } = "";
    public string ClientId { get; set; } = "";
    public string UserId { get; set; } = "";
    public string SessionId { get; set; } = "";
    public string RedirectUri { get; set; } = "";
    public string Scope { get; set; } = "";
    public string? Nonce { get; set; }
    public string? CodeChallenge { get; set; }
    public string Amr { get; set; } = "";
    public string Acr { get; set; } = "";
    public DateTimeOffset AuthTime { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? RedeemedAt { get; set; }
    /// <summary>The dpop_jkt of the authorization request (RFC 9449 10): only a proof with that key redeems the code.</summary>
    public string? DpopJkt { get; set; }
    /// <summary>The jti of the access token issued for this code, revoked if the code is replayed.</summary>
    public string? AccessTokenId { get; set; }
    public DateTimeOffset? AccessTokenExpiresAt { get; set; }
}

internal sealed class AuthorizationCodeConfiguration : IEntityTypeConfiguration<AuthorizationCode>
{
    public void Configure(EntityTypeBuilder<AuthorizationCode> e)
    {
        e.ToTable("OidcAuthorizationCodes");
        e.Property(c => c.Id).HasMaxLength(64);
        e.Property(c => c.ClientId).HasMaxLength(100);
        e.Property(c => c.SessionId).HasMaxLength(64);
        e.Property(c => c.AccessTokenId).HasMaxLength(64);
        e.Property(c => c.DpopJkt).HasMaxLength(43);
        e.HasIndex(c => c.ExpiresAt);
    }
}
