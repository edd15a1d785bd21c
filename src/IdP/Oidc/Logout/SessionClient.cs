using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WaIdentity.IdP.Oidc.Logout;

/// <summary>
/// A client that got an ID token in a session (its <c>sid</c>), with the issuer that token named: the clients told
/// over the back channel when that session ends. Authorization codes are purged within hours, so they cannot say it.
/// </summary>
internal sealed class SessionClient
{
    public string SessionId { get; set; } = "";
    public string ClientId { get; set; } = "";
    /// <summary>The <c>iss</c> of the ID token, so the logout token names the same issuer (it may come from the request).</summary>
    public string Issuer { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class SessionClientConfiguration : IEntityTypeConfiguration<SessionClient>
{
    public void Configure(EntityTypeBuilder<SessionClient> e)
    {
        e.ToTable("OidcSessionClients");
        e.HasKey(c => new { c.SessionId, c.ClientId });
        e.Property(c => c.SessionId).HasMaxLength(64);
        e.Property(c => c.ClientId).HasMaxLength(100);
        e.Property(c => c.Issuer).HasMaxLength(2000);
        e.HasIndex(c => c.CreatedAt);
    }
}
