using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace WaIdentity.WaChannel.Persistence.Migrations;

/// <summary>
/// Channel schema version 11: a message's recipient may be a group chat id ("120363…@g.us", up to 64 characters)
/// sent through the linked device. SQLite does not enforce lengths, so only PostgreSQL and SQL Server need the wider columns.
/// </summary>
[DbContext(typeof(ChannelDbContext))]
[Migration("0011_GroupRecipients")]
internal sealed class V0011_GroupRecipients : Migration
{
    protected override void Up(MigrationBuilder m)
    {
        if (m.ActiveProvider == "Microsoft.EntityFrameworkCore.Sqlite") return;
        m.AlterColumn<string>("Phone", "ChannelMessages", maxLength: 64, nullable: false, oldMaxLength: 20, oldNullable: false);
        m.AlterColumn<string>("Phone", "ChannelSandboxMessages", maxLength: 64, nullable: false, oldMaxLength: 20, oldNullable: false);
    }
}
