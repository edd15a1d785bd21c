using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace WaIdentity.WaChannel.Persistence.Migrations;

/// <summary>Channel schema version 14: the sandbox keeps the reply buttons under a message, for the dev inbox to press.</summary>
[DbContext(typeof(ChannelDbContext))]
[Migration("0014_SandboxButtons")]
internal sealed class V0014_SandboxButtons : Migration
{
    protected override void Up(MigrationBuilder m) =>
        m.AddColumn<string>("Buttons", "ChannelSandboxMessages", maxLength: 2000, nullable: true);
}
