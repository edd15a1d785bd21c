using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace WaIdentity.IdP.Persistence.Migrations;

/// <summary>Schema version 18: device authorization requests (RFC 8628), approved in the browser or over WhatsApp.</summary>
[DbContext(typeof(IdpDbContext))]
[Migration("0018_OidcDeviceAuthorizations")]
internal sealed class V0018_OidcDeviceAuthorizations : Migration
{
    protected override void Up(MigrationBuilder m)
    {
        m.CreateTable("OidcDeviceAuthorizations", t => new
        {
            Id = t.Column<string>(maxLength: 64, nullable: false),
            UserCodeHash = t.Column<string>(maxLength: 64, nullable: false),
            ClientId = t.Column<string>(maxLength: 100, nullable: false),
            Scope = t.Column<string>(nullable: false),
            Locale = t.Column<string>(maxLength: 10, nullable: false),
            IntervalSeconds = t.Column<int>(nullable: false),
            LastPolledAt = t.Column<long>(nullable: true),
            ApprovalPhone = t.Column<string>(maxLength: 16, nullable: true),
            ApprovalAskedAt = t.Column<long>(nullable: true),
            UserId = t.Column<string>(nullable: true),
            SessionId = t.Column<string>(maxLength: 64, nullable: true),
            Amr = t.Column<string>(nullable: true),
            Acr = t.Column<string>(nullable: true),
            AuthTime = t.Column<long>(nullable: true),
            ApprovedAt = t.Column<long>(nullable: true),
            DeniedAt = t.Column<long>(nullable: true),
            RedeemedAt = t.Column<long>(nullable: true),
            CreatedAt = t.Column<long>(nullable: false),
            ExpiresAt = t.Column<long>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_OidcDeviceAuthorizations", x => x.Id));
        m.CreateIndex("IX_OidcDeviceAuthorizations_UserCodeHash", "OidcDeviceAuthorizations", "UserCodeHash", unique: true);
        m.CreateIndex("IX_OidcDeviceAuthorizations_ExpiresAt", "OidcDeviceAuthorizations", "ExpiresAt");
    }
}
