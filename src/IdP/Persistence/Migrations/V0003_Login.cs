using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace WaIdentity.IdP.Persistence.Migrations;

/// <summary>Schema version 3: WhatsApp OTP login codes, per-phone failure counts, send-code logins.</summary>
[DbContext(typeof(IdpDbContext))]
[Migration("0003_Login")]
internal sealed class V0003_Login : Migration
{
    protected override void Up(MigrationBuilder m)
    {
        m.CreateTable("LoginOtpChallenges", t => new
        {
            Id = t.Column<string>(maxLength: 32, nullable: false),
            FlowHash = t.Column<string>(maxLength: 64, nullable: false),
            Phone = t.Column<string>(maxLength: 16, nullable: false),
            CodeHash = t.Column<string>(maxLength: 64, nullable: false),
            MessageId = t.Column<string>(maxLength: 32, nullable: true),
            RequestedChannel = t.Column<string>(maxLength: 8, nullable: false),
            Attempts = t.Column<int>(nullable: false),
            CreatedAt = t.Column<long>(nullable: false),
            ExpiresAt = t.Column<long>(nullable: false),
            ConsumedAt = t.Column<long>(nullable: true),
        }, constraints: t => t.PrimaryKey("PK_LoginOtpChallenges", x => x.Id));
        m.CreateIndex("IX_LoginOtpChallenges_FlowHash", "LoginOtpChallenges", "FlowHash");
        m.CreateIndex("IX_LoginOtpChallenges_ExpiresAt", "LoginOtpChallenges", "ExpiresAt");

        m.CreateTable("LoginPhoneFailures", t => new
        {
            Phone = t.Column<string>(maxLength: 16, nullable: false),
            Failures = t.Column<int>(nullable: false),
            LastFailureAt = t.Column<long>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_LoginPhoneFailures", x => x.Phone));
        m.CreateIndex("IX_LoginPhoneFailures_LastFailureAt", "LoginPhoneFailures", "LastFailureAt");

        m.CreateTable("LoginSendCodes", t => new
        {
            Id = t.Column<string>(maxLength: 32, nullable: false),
            FlowHash = t.Column<string>(maxLength: 64, nullable: false),
            CodeHash = t.Column<string>(maxLength: 64, nullable: false),
            ExpectedPhone = t.Column<string>(maxLength: 16, nullable: true),
            ProvenPhone = t.Column<string>(maxLength: 16, nullable: true),
            ProfileName = t.Column<string>(maxLength: 100, nullable: true),
            Refused = t.Column<bool>(nullable: false),
            CreatedAt = t.Column<long>(nullable: false),
            ExpiresAt = t.Column<long>(nullable: false),
            ConsumedAt = t.Column<long>(nullable: true),
        }, constraints: t => t.PrimaryKey("PK_LoginSendCodes", x => x.Id));
        m.CreateIndex("IX_LoginSendCodes_FlowHash", "LoginSendCodes", "FlowHash");
        m.CreateIndex("IX_LoginSendCodes_CodeHash", "LoginSendCodes", "CodeHash");
        m.CreateIndex("IX_LoginSendCodes_ExpiresAt", "LoginSendCodes", "ExpiresAt");
    }
}
