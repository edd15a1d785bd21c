using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace WaIdentity.IdP.Persistence.Migrations;

/// <summary>Schema version 23: gateway clients a user registered on the developer page (their owner) and an admin's approval.</summary>
[DbContext(typeof(IdpDbContext))]
[Migration("0023_SelfRegisteredApps")]
internal sealed class V0023_SelfRegisteredApps : Migration
{
    protected override void Up(MigrationBuilder m)
    {
        m.AddColumn<string>("OwnerUserId", "GatewayClients", maxLength: 450, nullable: true);
        m.AddColumn<long>("ApprovedAt", "GatewayClients", nullable: true);
        m.CreateIndex("IX_GatewayClients_OwnerUserId", "GatewayClients", "OwnerUserId");
    }
}
