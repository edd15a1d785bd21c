using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace WaIdentity.IdP.Persistence.Migrations;

/// <summary>Schema version 8: settings changed in the admin portal, overriding configuration keys; clients can be disabled.</summary>
[DbContext(typeof(IdpDbContext))]
[Migration("0008_Settings")]
internal sealed class V0008_Settings : Migration
{
    protected override void Up(MigrationBuilder m)
    {
        m.CreateTable("Settings", t => new
        {
            Key = t.Column<string>(maxLength: 200, nullable: false),
            Value = t.Column<string>(nullable: true),
            UpdatedAt = t.Column<long>(nullable: false),
            UpdatedBy = t.Column<string>(maxLength: 64, nullable: false),
        }, constraints: t => t.PrimaryKey("PK_Settings", x => x.Key));
        m.AddColumn<bool>("Disabled", "OidcClients", nullable: false, defaultValue: false);
        m.AddColumn<int>("AccessTokenLifetimeSeconds", "OidcClients", nullable: true);
        m.AddColumn<int>("IdTokenLifetimeSeconds", "OidcClients", nullable: true);
    }
}
