using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WaIdentity.IdP.Gateway;

/// <summary>
/// A client's gateway settings, beside its OIDC record (same client_id): the origins its verification callbacks may
/// go to, its inbound webhook, and the secret both are signed with. The server must sign with the secret, so it is
/// encrypted with Data Protection (not hashed).
/// </summary>
internal sealed class GatewayApp
{
    public string ClientId { get; set; } = "";
    /// <summary>Space separated origins (scheme://host[:port]) a callback_url must start from.</summary>
    public string CallbackOrigins { get; set; } = "";
    /// <summary>Where inbound messages are forwarded (wa.inbound); null: not forwarded.</summary>
    public string? WebhookUrl { get; set; }
    public string? WebhookSecretProtected { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    /// <summary>Messages per UTC day for this client; null: Gateway:DailyMessageQuota.</summary>
    public int? DailyMessageQuota { get; set; }
    /// <summary>Verification codes per UTC day for this client; null: Gateway:DailyVerificationQuota.</summary>
    public int? DailyVerificationQuota { get; set; }
    /// <summary>The user who registered the app on the developer page; null for an operator's client (CLI, portal, configuration).</summary>
    public string? OwnerUserId { get; set; }
    /// <summary>When an admin approved a self-registered app (null: not approved; see Gateway:SelfService:RequireApproval).</summary>
    public DateTimeOffset? ApprovedAt { get; set; }

    public IReadOnlyList<string> CallbackOriginList => CallbackOrigins.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}

internal sealed class GatewayAppConfiguration : IEntityTypeConfiguration<GatewayApp>
{
    public void Configure(EntityTypeBuilder<GatewayApp> e)
    {
        e.ToTable("GatewayClients");
        e.HasKey(c => c.ClientId);
        e.Property(c => c.ClientId).HasMaxLength(100);
        e.Property(c => c.CallbackOrigins).HasMaxLength(2000);
        e.Property(c => c.WebhookUrl).HasMaxLength(2000);
        e.Property(c => c.WebhookSecretProtected).HasMaxLength(1000);
        e.Property(c => c.OwnerUserId).HasMaxLength(450);
        e.HasIndex(c => c.OwnerUserId);
        e.Ignore(c => c.CallbackOriginList);
    }
}
