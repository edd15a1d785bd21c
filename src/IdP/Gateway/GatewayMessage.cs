using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WaIdentity.IdP.Gateway;

/// <summary>Which client queued which channel message: GET /api/v1/messages/{id} shows a client its own messages only.</summary>
internal sealed class GatewayMessage
{
    public Guid Id { get; set; }
    public string ClientId { get; set; } = "";
    public string To { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class GatewayMessageConfiguration : IEntityTypeConfiguration<GatewayMessage>
{
    public void Configure(EntityTypeBuilder<GatewayMessage> e)
    {
        e.ToTable("GatewayMessages");
        e.HasKey(m => m.Id);
        e.Property(m => m.ClientId).HasMaxLength(100);
        e.Property(m => m.To).HasMaxLength(64);
        e.HasIndex(m => m.CreatedAt);
    }
}
