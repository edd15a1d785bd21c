using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace WaIdentity.WaChannel.Persistence.Migrations;

/// <summary>
/// Channel schema version 1: the outbox with its state history, raw webhook events, inbound dedupe and the sandbox
/// phones' inbox. Column types are left to the provider so one migration serves SQLite and PostgreSQL.
/// </summary>
[DbContext(typeof(ChannelDbContext))]
[Migration("0001_ChannelInitial")]
internal sealed class V0001_ChannelInitial : Migration
{
    protected override void Up(MigrationBuilder m)
    {
        m.CreateTable("ChannelMessages", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            Kind = t.Column<int>(nullable: false),
            Channel = t.Column<int>(nullable: false),
            Policy = t.Column<int>(nullable: false),
            Phone = t.Column<string>(maxLength: 20, nullable: false),
            Locale = t.Column<string>(maxLength: 16, nullable: false),
            Purpose = t.Column<string>(maxLength: 64, nullable: false),
            Payload = t.Column<string>(nullable: false),
            Suppressed = t.Column<bool>(nullable: false),
            ClientIp = t.Column<string>(maxLength: 45, nullable: true),
            State = t.Column<int>(nullable: false),
            Dispatch = t.Column<int>(nullable: false),
            Attempts = t.Column<int>(nullable: false),
            NextAttemptAt = t.Column<long>(nullable: false),
            LeaseOwner = t.Column<string>(maxLength: 64, nullable: true),
            LeaseUntil = t.Column<long>(nullable: true),
            ProviderMessageId = t.Column<string>(maxLength: 200, nullable: true),
            WaId = t.Column<string>(maxLength: 32, nullable: true),
            ErrorCode = t.Column<string>(maxLength: 32, nullable: true),
            Error = t.Column<string>(maxLength: 300, nullable: true),
            FallbackOfId = t.Column<Guid>(nullable: true),
            FallbackId = t.Column<Guid>(nullable: true),
            DeliverBy = t.Column<long>(nullable: true),
            Billable = t.Column<bool>(nullable: true),
            PricingCategory = t.Column<string>(maxLength: 64, nullable: true),
            CreatedAt = t.Column<long>(nullable: false),
            UpdatedAt = t.Column<long>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_ChannelMessages", x => x.Id));
        m.CreateIndex("IX_ChannelMessages_Dispatch_NextAttemptAt", "ChannelMessages", ["Dispatch", "NextAttemptAt"]);
        m.CreateIndex("IX_ChannelMessages_ProviderMessageId", "ChannelMessages", "ProviderMessageId");
        m.CreateIndex("IX_ChannelMessages_Phone_CreatedAt", "ChannelMessages", ["Phone", "CreatedAt"]);
        m.CreateIndex("IX_ChannelMessages_DeliverBy", "ChannelMessages", "DeliverBy");
        m.CreateIndex("IX_ChannelMessages_ClientIp_CreatedAt", "ChannelMessages", ["ClientIp", "CreatedAt"]);
        m.CreateIndex("IX_ChannelMessages_CreatedAt", "ChannelMessages", "CreatedAt");

        m.CreateTable("ChannelMessageStates", t => new
        {
            MessageId = t.Column<Guid>(nullable: false),
            State = t.Column<int>(nullable: false),
            At = t.Column<long>(nullable: false),
            ErrorCode = t.Column<string>(maxLength: 32, nullable: true),
        }, constraints: t => t.PrimaryKey("PK_ChannelMessageStates", x => new { x.MessageId, x.State }));

        m.CreateTable("ChannelWebhookEvents", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            Source = t.Column<string>(maxLength: 16, nullable: false),
            Body = t.Column<string>(nullable: false),
            ReceivedAt = t.Column<long>(nullable: false),
            ProcessedAt = t.Column<long>(nullable: true),
            LeaseUntil = t.Column<long>(nullable: true),
            Attempts = t.Column<int>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_ChannelWebhookEvents", x => x.Id));
        m.CreateIndex("IX_ChannelWebhookEvents_ProcessedAt", "ChannelWebhookEvents", "ProcessedAt");

        m.CreateTable("ChannelInboundMessages", t => new
        {
            ProviderMessageId = t.Column<string>(maxLength: 200, nullable: false),
            Phone = t.Column<string>(maxLength: 20, nullable: false),
            ReceivedAt = t.Column<long>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_ChannelInboundMessages", x => x.ProviderMessageId));
        m.CreateIndex("IX_ChannelInboundMessages_ReceivedAt", "ChannelInboundMessages", "ReceivedAt");

        m.CreateTable("ChannelSandboxMessages", t => new
        {
            Id = t.Column<string>(maxLength: 200, nullable: false),
            Channel = t.Column<string>(maxLength: 16, nullable: false),
            Phone = t.Column<string>(maxLength: 20, nullable: false),
            Inbound = t.Column<bool>(nullable: false),
            Text = t.Column<string>(nullable: false),
            Code = t.Column<string>(maxLength: 32, nullable: true),
            Correlation = t.Column<string>(maxLength: 200, nullable: true),
            CallbackUrl = t.Column<string>(nullable: true),
            State = t.Column<string>(maxLength: 16, nullable: false),
            CreatedAt = t.Column<long>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_ChannelSandboxMessages", x => x.Id));
        m.CreateIndex("IX_ChannelSandboxMessages_Phone_CreatedAt", "ChannelSandboxMessages", ["Phone", "CreatedAt"]);
    }
}
