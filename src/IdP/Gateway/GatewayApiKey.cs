using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WaIdentity.IdP.Gateway;

/// <summary>
/// A long-lived, revocable API key of a client: an alternative to client_credentials tokens for apps written for
/// WhatsAuth's long-lived tokens. Only a SHA-256 hash is stored (the key is 256 random bits, shown once); the prefix
/// lets a person tell keys apart in lists.
/// </summary>
internal sealed class GatewayApiKey
{
    public const string KeyPrefix = "wak_";

    public string Id { get; set; } = "";
    public string ClientId { get; set; } = "";
    public string Name { get; set; } = "";
    /// <summary>The key's first characters ("wak_AbCd1234"), safe to show.</summary>
    public string Prefix { get; set; } = "";
    public string Hash { get; set; } = "";
    /// <summary>Space separated wa.* scopes, a subset of the client's.</summary>
    public string Scopes { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }

    public IReadOnlyList<string> ScopeList => Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}

internal sealed class GatewayApiKeyConfiguration : IEntityTypeConfiguration<GatewayApiKey>
{
    public void Configure(EntityTypeBuilder<GatewayApiKey> e)
    {
        e.ToTable("GatewayApiKeys");
        e.HasKey(k => k.Id);
        e.Property(k => k.Id).HasMaxLength(32);
        e.Property(k => k.ClientId).HasMaxLength(100);
        e.Property(k => k.Name).HasMaxLength(100);
        e.Property(k => k.Prefix).HasMaxLength(16);
        e.Property(k => k.Hash).HasMaxLength(64);
        e.Property(k => k.Scopes).HasMaxLength(200);
        e.HasIndex(k => k.Hash).IsUnique();
        e.HasIndex(k => k.ClientId);
        e.Ignore(k => k.ScopeList);
    }
}
