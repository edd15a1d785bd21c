using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace WaIdentity.IdP.Persistence.Migrations;

/// <summary>Schema version 7: the gateway API's client settings, message ownership, phone verifications and webhook deliveries.</summary>
[DbContext(typeof(IdpDbContext))]
[Migration("0007_Gateway")]
internal sealed class V0007_Gateway : Migration
{
    protected override void Up(MigrationBuilder m)
    {
        m.CreateTable("GatewayClients", t => new
        {
            ClientId = t.Column<string>(maxLength: 100, nullable: false),
            CallbackOrigins = t.Column<string>(maxLength: 2000, nullable: false),
            WebhookUrl = t.Column<string>(maxLength: 2000, nullable: true),
            WebhookSecretProtected = t.Column<string>(maxLength: 1000, nullable: true),
            UpdatedAt = t.Column<long>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_GatewayClients", x => x.ClientId));

        m.CreateTable("GatewayMessages", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            ClientId = t.Column<string>(maxLength: 100, nullable: false),
            To = t.Column<string>(maxLength: 16, nullable: false),
            CreatedAt = t.Column<long>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_GatewayMessages", x => x.Id));
        m.CreateIndex("IX_GatewayMessages_CreatedAt", "GatewayMessages", "CreatedAt");

        m.CreateTable("GatewayVerifications", t => new
        {
            Id = t.Column<string>(maxLength: 32, nullable: false),
            ClientId = t.Column<string>(maxLength: 100, nullable: false),
            CodeHash = t.Column<string>(maxLength: 64, nullable: false),
            CallbackUrl = t.Column<string>(maxLength: 2000, nullable: true),
            Phone = t.Column<string>(maxLength: 16, nullable: true),
            ProfileName = t.Column<string>(maxLength: 100, nullable: true),
            RequestedAt = t.Column<long>(nullable: false),
            ExpiresAt = t.Column<long>(nullable: false),
            ValidatedAt = t.Column<long>(nullable: true),
        }, constraints: t => t.PrimaryKey("PK_GatewayVerifications", x => x.Id));
        m.CreateIndex("IX_GatewayVerifications_CodeHash", "GatewayVerifications", "CodeHash");
        m.CreateIndex("IX_GatewayVerifications_ExpiresAt", "GatewayVerifications", "ExpiresAt");

        m.CreateTable("GatewayWebhookDeliveries", t => new
        {
            Id = t.Column<string>(maxLength: 32, nullable: false),
            ClientId = t.Column<string>(maxLength: 100, nullable: false),
            Kind = t.Column<string>(maxLength: 20, nullable: false),
            Url = t.Column<string>(maxLength: 2000, nullable: false),
            Body = t.Column<string>(nullable: false),
            State = t.Column<string>(maxLength: 10, nullable: false),
            Attempts = t.Column<int>(nullable: false),
            NextAttemptAt = t.Column<long>(nullable: false),
            LastError = t.Column<string>(maxLength: 500, nullable: true),
            CreatedAt = t.Column<long>(nullable: false),
            DeliveredAt = t.Column<long>(nullable: true),
        }, constraints: t => t.PrimaryKey("PK_GatewayWebhookDeliveries", x => x.Id));
        m.CreateIndex("IX_GatewayWebhookDeliveries_State_NextAttemptAt", "GatewayWebhookDeliveries", ["State", "NextAttemptAt"]);
    }
}
