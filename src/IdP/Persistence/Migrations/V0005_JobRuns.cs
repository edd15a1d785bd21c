using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace WaIdentity.IdP.Persistence.Migrations;

/// <summary>Schema version 5: the log of scheduled job runs (which node ran what, and whether it finished).</summary>
[DbContext(typeof(IdpDbContext))]
[Migration("0005_JobRuns")]
internal sealed class V0005_JobRuns : Migration
{
    protected override void Up(MigrationBuilder m)
    {
        m.CreateTable("JobRuns", t => new
        {
            Id = t.Column<long>(nullable: false).Annotation("Sqlite:Autoincrement", true)
                .Annotation("Npgsql:ValueGenerationStrategy", Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.NpgsqlValueGenerationStrategy.IdentityByDefaultColumn)
                .Annotation("SqlServer:Identity", "1, 1"),
            JobName = t.Column<string>(maxLength: 100, nullable: false),
            NodeId = t.Column<string>(maxLength: 200, nullable: false),
            FireInstanceId = t.Column<string>(maxLength: 200, nullable: false),
            ScheduledFor = t.Column<long>(nullable: false),
            StartedAt = t.Column<long>(nullable: false),
            FinishedAt = t.Column<long>(nullable: true),
            Recovering = t.Column<bool>(nullable: false),
            Error = t.Column<string>(maxLength: 500, nullable: true),
        }, constraints: t => t.PrimaryKey("PK_JobRuns", x => x.Id));
        m.CreateIndex("IX_JobRuns_StartedAt", "JobRuns", "StartedAt");
    }
}
