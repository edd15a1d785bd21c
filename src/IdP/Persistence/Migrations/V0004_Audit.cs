using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace WaIdentity.IdP.Persistence.Migrations;

/// <summary>Schema version 4: the admin audit log.</summary>
[DbContext(typeof(IdpDbContext))]
[Migration("0004_Audit")]
internal sealed class V0004_Audit : Migration
{
    protected override void Up(MigrationBuilder m)
    {
        m.CreateTable("AuditRecords", t => new
        {
            Id = t.Column<long>(nullable: false).Annotation("Sqlite:Autoincrement", true)
                .Annotation("Npgsql:ValueGenerationStrategy", Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.NpgsqlValueGenerationStrategy.IdentityByDefaultColumn)
                .Annotation("SqlServer:Identity", "1, 1"),
            At = t.Column<long>(nullable: false),
            ActorId = t.Column<string>(maxLength: 64, nullable: false),
            Action = t.Column<string>(maxLength: 64, nullable: false),
            Target = t.Column<string>(maxLength: 200, nullable: false),
            Before = t.Column<string>(nullable: true),
            After = t.Column<string>(nullable: true),
        }, constraints: t => t.PrimaryKey("PK_AuditRecords", x => x.Id));
        m.CreateIndex("IX_AuditRecords_At", "AuditRecords", "At");
    }
}
