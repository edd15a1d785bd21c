using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace WaIdentity.IdP.Persistence.Migrations;

/// <summary>Schema version 19: gateway API keys (hashed) and per-client daily quotas (null: the server-wide value).</summary>
[DbContext(typeof(IdpDbContext))]
[Migration("0019_GatewayApiKeysAndQuotas")]
internal sealed class V0019_GatewayApiKeysAndQuotas : Migration
{
    protected override void Up(MigrationBuilder m)
    {
        m.CreateTable("GatewayApiKeys", t => new
        {
            Id = t.Column<string>(maxLength: 32, nullable: false),
            ClientId = t.Column<string>(maxLength: 100, nullable: false),
            Name = t.Column<string>(maxLength: 100, nullable: false),
            Prefix = t.Column<string>(maxLength: 16, nullable: false),
            Hash = t.Column<string>(maxLength: 64, nullable: false),
            Scopes = t.Column<string>(maxLength: 200, nullable: false),
            CreatedAt = t.Column<long>(nullable: false),
            LastUsedAt = t.Column<long>(nullable: true),
            RevokedAt = t.Column<long>(nullable: true),
        }, constraints: t => t.PrimaryKey("PK_GatewayApiKeys", x => x.Id));
        m.CreateIndex("IX_GatewayApiKeys_Hash", "GatewayApiKeys", "Hash", unique: true);
        m.CreateIndex("IX_GatewayApiKeys_ClientId", "GatewayApiKeys", "ClientId");
        m.AddColumn<int>("DailyMessageQuota", "GatewayClients", nullable: true);
        m.AddColumn<int>("DailyVerificationQuota", "GatewayClients", nullable: true);
    }
}
