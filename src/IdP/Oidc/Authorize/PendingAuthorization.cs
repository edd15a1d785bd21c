using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WaIdentity.IdP.Oidc.Authorize;

/// <summary>
/// A validated authorization request waiting for the user (login, consent). Kept in the database so another node
/// can finish it. <see cref="LoginRequestedAt"/> is set when we sent the user to log in for prompt=login, max_age or
/// step-up: a session authenticated after it satisfies those, so the resumed request does not loop.
/// </summary>
internal sealed class PendingAuthorization
{
    public string Id { get; set; } = "";
    public string ClientId { get; set; } = "";
    /// <summary>The original request parameters as a JSON object.</summary>
    public string Parameters { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? LoginRequestedAt { get; set; }
}

internal sealed class PendingAuthorizationConfiguration : IEntityTypeConfiguration<PendingAuthorization>
{
    public void Configure(EntityTypeBuilder<PendingAuthorization> e)
    {
        e.ToTable("OidcPendingAuthorizations");
        e.Property(p => p.Id).HasMaxLength(64);
        e.Property(p => p.ClientId).HasMaxLength(100);
        e.HasIndex(p => p.ExpiresAt);
    }
}
