using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace WaIdentity.WaChannel.Persistence.Migrations;

/// <summary>
/// Channel schema version 12: the sandbox emulators keep the status reports they still owe a message, so a restart
/// posts them instead of losing them.
/// </summary>
[DbContext(typeof(ChannelDbContext))]
[Migration("0012_SandboxPendingStatuses")]
internal sealed class V0012_SandboxPendingStatuses : Migration
{
    protected override void Up(MigrationBuilder m) =>
        m.AddColumn<string>("PendingStatuses", "ChannelSandboxMessages", maxLength: 100, nullable: true);
}
