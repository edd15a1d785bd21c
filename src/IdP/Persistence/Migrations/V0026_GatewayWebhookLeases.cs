using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace WaIdentity.IdP.Persistence.Migrations;

/// <summary>
/// Schema version 26: a webhook delivery is leased by the node sending it (owner and expiry), so every node can send
/// deliveries and no two send the same one at once. Deliveries from before are unleased (null).
/// </summary>
[DbContext(typeof(IdpDbContext))]
[Migration("0026_GatewayWebhookLeases")]
internal sealed class V0026_GatewayWebhookLeases : Migration
{
    protected override void Up(MigrationBuilder m)
    {
        m.AddColumn<string>("LeaseOwner", "GatewayWebhookDeliveries", maxLength: 64, nullable: true);
        m.AddColumn<long>("LeaseUntil", "GatewayWebhookDeliveries", nullable: true); // Unix milliseconds, as every time (UnixTimeConvention)
    }
}
