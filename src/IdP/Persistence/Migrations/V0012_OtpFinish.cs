using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace WaIdentity.IdP.Persistence.Migrations;

/// <summary>
/// Schema version 12: a used code records the flow that used it and when its login finished, so a login cut short
/// after the code was consumed can still be finished by the same browser flow (and by no other); while one request of
/// that flow is finishing it, the code is claimed until a moment, so the same code submitted twice at once finishes once.
/// </summary>
[DbContext(typeof(IdpDbContext))]
[Migration("0012_OtpFinish")]
internal sealed class V0012_OtpFinish : Migration
{
    protected override void Up(MigrationBuilder m)
    {
        m.AddColumn<string>("ConsumedByFlow", "LoginOtpChallenges", maxLength: 64, nullable: true);
        m.AddColumn<long>("FinishedAt", "LoginOtpChallenges", nullable: true);
        m.AddColumn<long>("ClaimedUntil", "LoginOtpChallenges", nullable: true);
    }
}
