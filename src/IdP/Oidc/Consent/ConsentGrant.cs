using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WaIdentity.IdP.Oidc.Consent;

/// <summary>The scopes a user has allowed a client, remembered so the consent page is shown once per new scope.</summary>
internal sealed class ConsentGrant
{
    public string UserId { get; set; } = "";
    public string ClientId { get; set; } = "";
    public string Scopes { get; set; } = "";
    public DateTimeOffset GrantedAt { get; set; }
}

internal sealed class ConsentGrantConfiguration : IEntityTypeConfiguration<ConsentGrant>
{
    public void Configure(EntityTypeBuilder<ConsentGrant> e)
    {
        e.ToTable("OidcConsents");
        e.HasKey(c => new { c.UserId, c.ClientId });
        e.Property(c => c.ClientId).HasMaxLength(100);
    }
}
