using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace WaIdentity.WaChannel.Persistence.Migrations;

/// <summary>
/// Channel schema version 17: the webhook processor asks for unprocessed events oldest first. With an index on
/// ProcessedAt alone, every such question sorted the whole backlog (a 100k-event backlog cost a sort per processed
/// event, and processing fell to a few hundred a second as the backlog grew). Indexed on (ProcessedAt, ReceivedAt),
/// the database walks the oldest unprocessed events in order and stops at the batch size.
/// </summary>
[DbContext(typeof(ChannelDbContext))]
[Migration("0017_WebhookDueOrder")]
internal sealed class V0017_WebhookDueOrder : Migration
{
    protected override void Up(MigrationBuilder m)
    {
        m.DropIndex("IX_ChannelWebhookEvents_ProcessedAt", "ChannelWebhookEvents");
        m.CreateIndex("IX_ChannelWebhookEvents_ProcessedAt_ReceivedAt", "ChannelWebhookEvents", ["ProcessedAt", "ReceivedAt"]);
    }
}
