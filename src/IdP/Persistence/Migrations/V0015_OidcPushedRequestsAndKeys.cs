using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace WaIdentity.IdP.Persistence.Migrations;

/// <summary>
/// Schema version 15: pushed authorization requests (RFC 9126), clients that authenticate with private_key_jwt (a
/// registered JWKS or jwks_uri) or must push their requests, and the replay cache of one-time JWT ids (client
/// assertions) shared by every node.
/// </summary>
[DbContext(typeof(IdpDbContext))]
[Migration("0015_OidcPushedRequestsAndKeys")]
internal sealed class V0015_OidcPushedRequestsAndKeys : Migration
{
    protected override void Up(MigrationBuilder m)
    {
        m.AddColumn<bool>("RequirePushedAuthorizationRequests", "OidcClients", nullable: false, defaultValue: false);
        m.AddColumn<string>("Jwks", "OidcClients", nullable: true);
        m.AddColumn<string>("JwksUri", "OidcClients", maxLength: 2000, nullable: true);

        m.CreateTable("OidcPushedAuthorizations", t => new
        {
            Id = t.Column<string>(maxLength: 64, nullable: false),
            ClientId = t.Column<string>(maxLength: 100, nullable: false),
            Parameters = t.Column<string>(nullable: false),
            ExpiresAt = t.Column<long>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_OidcPushedAuthorizations", x => x.Id));
        m.CreateIndex("IX_OidcPushedAuthorizations_ExpiresAt", "OidcPushedAuthorizations", "ExpiresAt");

        m.CreateTable("OidcUsedJwtIds", t => new
        {
            Key = t.Column<string>(maxLength: 64, nullable: false),
            ExpiresAt = t.Column<long>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_OidcUsedJwtIds", x => x.Key));
        m.CreateIndex("IX_OidcUsedJwtIds_ExpiresAt", "OidcUsedJwtIds", "ExpiresAt");
    }
}
