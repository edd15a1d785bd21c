using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WaIdentity.IdP.Oidc.Par;

/// <summary>
/// A pushed authorization request (RFC 9126), keyed by the SHA-256 of its request_uri: the parameters the client
/// pushed, for that client only, until it is used once or expires.
/// </summary>
internal sealed class PushedAuthorization
{
    public string Id { get; set; } = "";
    public string ClientId { get; set; } = "";
    /// <summary>The pushed parameters as a JSON object (without the client's credentials).</summary>
    public string Parameters { get; set; } = "";
    public DateTimeOffset ExpiresAt { get; set; }
}

internal sealed class PushedAuthorizationConfiguration : IEntityTypeConfiguration<PushedAuthorization>
{
    public void Configure(EntityTypeBuilder<PushedAuthorization> e)
    {
        e.ToTable("OidcPushedAuthorizations");
        e.Property(p => p.Id).HasMaxLength(64);
        e.Property(p => p.ClientId).HasMaxLength(100);
        e.HasIndex(p => p.ExpiresAt);
    }
}
