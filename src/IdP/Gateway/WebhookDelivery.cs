using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WaIdentity.IdP.Gateway;

internal enum WebhookState { Pending, Delivered, Dead }

/// <summary>
/// One signed POST to an app (a verification callback or a forwarded inbound message), retried with exponential
/// backoff by <see cref="WebhookDeliveryQueue"/> and dead-lettered after the configured number of tries.
/// The body is kept as sent, so a replay sends the same event (with a fresh timestamp and signature).
/// </summary>
internal sealed class WebhookDelivery
{
    public string Id { get; set; } = "";
    public string ClientId { get; set; } = "";
    /// <summary>"verification", "inbound", or "backchannel-logout" (an OIDC client's logout token; the body holds its claims).</summary>
    public string Kind { get; set; } = "";
    public string Url { get; set; } = "";
    public string Body { get; set; } = "";
    public WebhookState State { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    /// <summary>The node sending it now, and until when it holds it (see <see cref="WebhookDeliveryQueue"/>); null between tries.</summary>
    public string? LeaseOwner { get; set; }
    public DateTimeOffset? LeaseUntil { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> e)
    {
        e.ToTable("GatewayWebhookDeliveries");
        e.HasKey(d => d.Id);
        e.Property(d => d.Id).HasMaxLength(32);
        e.Property(d => d.ClientId).HasMaxLength(100);
        e.Property(d => d.Kind).HasMaxLength(20);
        e.Property(d => d.Url).HasMaxLength(2000);
        e.Property(d => d.State).HasConversion<string>().HasMaxLength(10);
        e.Property(d => d.LastError).HasMaxLength(500);
        e.Property(d => d.LeaseOwner).HasMaxLength(64);
        e.HasIndex(d => new { d.State, d.NextAttemptAt });
    }
}
