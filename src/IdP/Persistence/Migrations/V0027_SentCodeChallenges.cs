using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace WaIdentity.IdP.Persistence.Migrations;

/// <summary>
/// Schema version 27: send-code login challenges and gateway phone verifications are proven by one matcher, so both
/// tables carry its columns. A login challenge records when it was proven (<c>ProvenAt</c>; null for challenges from
/// before); a verification may name the number expected to prove it (<c>ExpectedPhone</c>) and be refused
/// (<c>Refused</c>, false for every existing row).
/// </summary>
[DbContext(typeof(IdpDbContext))]
[Migration("0027_SentCodeChallenges")]
internal sealed class V0027_SentCodeChallenges : Migration
{
    protected override void Up(MigrationBuilder m)
    {
        m.AddColumn<long>("ProvenAt", "LoginSendCodes", nullable: true);
        m.AddColumn<string>("ExpectedPhone", "GatewayVerifications", maxLength: 16, nullable: true);
        m.AddColumn<bool>("Refused", "GatewayVerifications", nullable: false, defaultValue: false);
    }
}
