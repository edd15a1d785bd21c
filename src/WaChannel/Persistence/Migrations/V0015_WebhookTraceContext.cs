using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace WaIdentity.WaChannel.Persistence.Migrations;

/// <summary>
/// Channel schema version 15: a stored webhook event keeps the W3C trace context (traceparent) of the request that
/// delivered it, so its later processing continues that request's trace. Events from before stay untraced (null).
/// </summary>
[DbContext(typeof(ChannelDbContext))]
[Migration("0015_WebhookTraceContext")]
internal sealed class V0015_WebhookTraceContext : Migration
{
    protected override void Up(MigrationBuilder m) =>
        m.AddColumn<string>("TraceParent", "ChannelWebhookEvents", maxLength: 55, nullable: true);
}
