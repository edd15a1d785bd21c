using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace WaIdentity.IdP.Persistence.Migrations;

/// <summary>
/// Schema version 1: users (ASP.NET Core Identity), sessions, Data Protection keys, rate-limit counters, and on PostgreSQL
/// the Quartz clustered job store (and on SQL Server). Column types are left to the provider so one migration serves both.
/// </summary>
[DbContext(typeof(IdpDbContext))]
[Migration("0001_Initial")]
internal sealed class V0001_Initial : Migration
{
    protected override void Up(MigrationBuilder m)
    {
        IdentityTables.Create(m);

        m.CreateTable("DataProtectionKeys", t => new
        {
            Id = t.Column<int>(nullable: false).Annotation("Sqlite:Autoincrement", true)
                .Annotation("Npgsql:ValueGenerationStrategy", Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.NpgsqlValueGenerationStrategy.IdentityByDefaultColumn)
                .Annotation("SqlServer:Identity", "1, 1"),
            FriendlyName = t.Column<string>(maxLength: 200, nullable: false),
            Xml = t.Column<string>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_DataProtectionKeys", x => x.Id));

        m.CreateTable("RateLimitCounters", t => new
        {
            Key = t.Column<string>(maxLength: 300, nullable: false),
            Count = t.Column<int>(nullable: false),
            ExpiresAt = t.Column<long>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_RateLimitCounters", x => x.Key));
        m.CreateIndex("IX_RateLimitCounters_ExpiresAt", "RateLimitCounters", "ExpiresAt");

        m.CreateTable("UserSessions", t => new
        {
            Id = t.Column<string>(maxLength: 64, nullable: false),
            UserId = t.Column<string>(nullable: false),
            Amr = t.Column<string>(nullable: false),
            Acr = t.Column<string>(nullable: false),
            AuthTime = t.Column<long>(nullable: false),
            LastSeenAt = t.Column<long>(nullable: false),
            ExpiresAt = t.Column<long>(nullable: false),
            EndedAt = t.Column<long>(nullable: true),
            UserAgent = t.Column<string>(nullable: true),
            IpAddress = t.Column<string>(nullable: true),
        }, constraints: t => t.PrimaryKey("PK_UserSessions", x => x.Id));
        m.CreateIndex("IX_UserSessions_UserId", "UserSessions", "UserId");
        m.CreateIndex("IX_UserSessions_ExpiresAt", "UserSessions", "ExpiresAt");

        if (m.IsNpgsql())
            m.Sql(QuartzTables.PostgreSql);
        else if (m.IsSqlServer())
            m.Sql(QuartzSqlServerTables.Ddl);
    }
}
