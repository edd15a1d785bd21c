using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace WaIdentity.IdP.Persistence.Migrations;

/// <summary>
/// Schema version 11: one live code per phone and purpose, re-sent rather than replaced. Codes get their purpose, the
/// encrypted code for re-sending, a send count and the last send time; the flows allowed to use a code get a table of
/// their own (every existing code keeps the flow that asked for it).
/// </summary>
[DbContext(typeof(IdpDbContext))]
[Migration("0011_OtpResend")]
internal sealed class V0011_OtpResend : Migration
{
    protected override void Up(MigrationBuilder m)
    {
        m.AddColumn<string>("Purpose", "LoginOtpChallenges", maxLength: 16, nullable: false, defaultValue: "login");
        m.AddColumn<string>("ProtectedCode", "LoginOtpChallenges", nullable: true);
        m.AddColumn<int>("Sends", "LoginOtpChallenges", nullable: false, defaultValue: 1);
        m.AddColumn<long>("LastSentAt", "LoginOtpChallenges", nullable: true);
        m.CreateIndex("IX_LoginOtpChallenges_Phone_Purpose", "LoginOtpChallenges", ["Phone", "Purpose"]);

        m.CreateTable("LoginOtpChallengeFlows", t => new
        {
            ChallengeId = t.Column<string>(maxLength: 32, nullable: false),
            FlowHash = t.Column<string>(maxLength: 64, nullable: false),
        }, constraints: t => t.PrimaryKey("PK_LoginOtpChallengeFlows", x => new { x.ChallengeId, x.FlowHash }));
        m.CreateIndex("IX_LoginOtpChallengeFlows_FlowHash", "LoginOtpChallengeFlows", "FlowHash");
        m.Sql("""INSERT INTO "LoginOtpChallengeFlows" ("ChallengeId", "FlowHash") SELECT "Id", "FlowHash" FROM "LoginOtpChallenges";""");
    }
}
