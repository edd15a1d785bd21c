using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WaIdentity.IdP.Oidc.Keys;

/// <summary>
/// A token signing key. Published in JWKS from <see cref="CreatedAt"/>, signs from <see cref="ActivatesAt"/> until
/// <see cref="RetiresAt"/>, and stays in JWKS until <see cref="ExpiresAt"/> (its last token has expired).
/// (Algorithm, Generation) is unique, so when several nodes race to create the next key only one insert wins.
/// </summary>
internal sealed class SigningKey
{
    public string Id { get; set; } = "";
    public string Algorithm { get; set; } = "";
    public int Generation { get; set; }
    /// <summary>The private key (PKCS#8), protected with Data Protection.</summary>
    public string ProtectedPrivateKey { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ActivatesAt { get; set; }
    public DateTimeOffset RetiresAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}

internal sealed class SigningKeyConfiguration : IEntityTypeConfiguration<SigningKey>
{
    public void Configure(EntityTypeBuilder<SigningKey> e)
    {
        e.ToTable("OidcSigningKeys");
        e.Property(k => k.Id).HasMaxLength(64);
        e.Property(k => k.Algorithm).HasMaxLength(10);
        e.HasIndex(k => new { k.Algorithm, k.Generation }).IsUnique();
    }
}
