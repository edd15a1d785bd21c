using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace WaIdentity.WaChannel.Persistence.Migrations;

/// <summary>
/// Channel schema version 16: a stored webhook event records which node's claim holds it, so only that node renews
/// the lease and records the outcome (the outbox's messages already do). Events from before have no owner (null).
/// </summary>
[DbContext(typeof(ChannelDbContext))]
[Migration("0016_WebhookLeaseOwner")]
internal sealed class V0016_WebhookLeaseOwner : Migration
{
    protected override void Up(MigrationBuilder m) =>
        m.AddColumn<string>("LeaseOwner", "ChannelWebhookEvents", maxLength: 64, nullable: true);
}
