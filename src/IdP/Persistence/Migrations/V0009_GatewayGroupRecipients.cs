using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace WaIdentity.IdP.Persistence.Migrations;

/// <summary>
/// Schema version 9: a gateway message may go to a WhatsApp group ("120363…@g.us", up to 64 characters). SQLite does
/// not enforce lengths, so only PostgreSQL and SQL Server need the wider column.
/// </summary>
[DbContext(typeof(IdpDbContext))]
[Migration("0009_GatewayGroupRecipients")]
internal sealed class V0009_GatewayGroupRecipients : Migration
{
    protected override void Up(MigrationBuilder m)
    {
        if (!m.EnforcesLengths()) return;
        m.AlterColumn<string>("To", "GatewayMessages", maxLength: 64, nullable: false, oldMaxLength: 16, oldNullable: false);
    }
}
