using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace WaIdentity.WaChannel.Persistence.Migrations;

/// <summary>Channel schema version 10: the linked gateway device's state, its history and its admin alerts.</summary>
[DbContext(typeof(ChannelDbContext))]
[Migration("0010_Device")]
internal sealed class V0010_Device : Migration
{
    protected override void Up(MigrationBuilder m)
    {
        m.CreateTable("ChannelDevices", t => new
        {
            Session = t.Column<string>(maxLength: 64, nullable: false),
            Status = t.Column<string>(maxLength: 40, nullable: false),
            StatusAt = t.Column<long>(nullable: false),
            ShouldRun = t.Column<bool>(nullable: false),
            AccountPhone = t.Column<string>(maxLength: 20, nullable: true),
            AccountName = t.Column<string>(maxLength: 100, nullable: true),
            RestartAttempts = t.Column<int>(nullable: false),
            NextRestartAt = t.Column<long>(nullable: true),
            LastPolledAt = t.Column<long>(nullable: true),
        }, constraints: t => t.PrimaryKey("PK_ChannelDevices", x => x.Session));

        m.CreateTable("ChannelDeviceEvents", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            Session = t.Column<string>(maxLength: 64, nullable: false),
            Kind = t.Column<string>(maxLength: 16, nullable: false),
            Detail = t.Column<string>(maxLength: 300, nullable: false),
            At = t.Column<long>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_ChannelDeviceEvents", x => x.Id));
        m.CreateIndex("IX_ChannelDeviceEvents_Session_At", "ChannelDeviceEvents", ["Session", "At"]);

        m.CreateTable("ChannelDeviceAlerts", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            Session = t.Column<string>(maxLength: 64, nullable: false),
            Kind = t.Column<string>(maxLength: 32, nullable: false),
            Message = t.Column<string>(maxLength: 300, nullable: false),
            RaisedAt = t.Column<long>(nullable: false),
            ResolvedAt = t.Column<long>(nullable: true),
        }, constraints: t => t.PrimaryKey("PK_ChannelDeviceAlerts", x => x.Id));
        m.CreateIndex("IX_ChannelDeviceAlerts_Session_ResolvedAt", "ChannelDeviceAlerts", ["Session", "ResolvedAt"]);
    }
}
