using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace WaIdentity.WaChannel.Persistence.Migrations;

/// <summary>
/// Channel schema version 13: a message keeps the W3C trace context (traceparent) of the request that enqueued it,
/// so its send and its status reports continue that trace. Messages from before stay untraced (null).
/// </summary>
[DbContext(typeof(ChannelDbContext))]
[Migration("0013_MessageTraceContext")]
internal sealed class V0013_MessageTraceContext : Migration
{
    protected override void Up(MigrationBuilder m) =>
        m.AddColumn<string>("TraceParent", "ChannelMessages", maxLength: 55, nullable: true);
}
