using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace WaIdentity.IdP.Persistence.Migrations;

/// <summary>
/// Schema version 6: authenticator-app secrets, recovery codes, "this was not me" links, and the per-client
/// "require a second factor" setting.
/// </summary>
[DbContext(typeof(IdpDbContext))]
[Migration("0006_SecondFactor")]
internal sealed class V0006_SecondFactor : Migration
{
    protected override void Up(MigrationBuilder m)
    {
        m.CreateTable("MfaTotpAuthenticators", t => new
        {
            UserId = t.Column<string>(nullable: false),
            ProtectedSecret = t.Column<string>(maxLength: 1000, nullable: false),
            Enabled = t.Column<bool>(nullable: false),
            LastUsedStep = t.Column<long>(nullable: false),
            CreatedAt = t.Column<long>(nullable: false),
            EnabledAt = t.Column<long>(nullable: true),
        }, constraints: t => t.PrimaryKey("PK_MfaTotpAuthenticators", x => x.UserId));

        m.CreateTable("MfaRecoveryCodes", t => new
        {
            Id = t.Column<string>(maxLength: 32, nullable: false),
            UserId = t.Column<string>(nullable: false),
            CodeHash = t.Column<string>(maxLength: 64, nullable: false),
            CreatedAt = t.Column<long>(nullable: false),
            UsedAt = t.Column<long>(nullable: true),
        }, constraints: t => t.PrimaryKey("PK_MfaRecoveryCodes", x => x.Id));
        m.CreateIndex("IX_MfaRecoveryCodes_UserId", "MfaRecoveryCodes", "UserId");

        m.CreateTable("AccountNotMeLinks", t => new
        {
            Id = t.Column<string>(maxLength: 64, nullable: false),
            SessionId = t.Column<string>(maxLength: 64, nullable: false),
            UserId = t.Column<string>(nullable: false),
            CreatedAt = t.Column<long>(nullable: false),
            ExpiresAt = t.Column<long>(nullable: false),
            UsedAt = t.Column<long>(nullable: true),
        }, constraints: t => t.PrimaryKey("PK_AccountNotMeLinks", x => x.Id));
        m.CreateIndex("IX_AccountNotMeLinks_ExpiresAt", "AccountNotMeLinks", "ExpiresAt");

        m.AddColumn<bool>("RequireSecondFactor", "OidcClients", nullable: false, defaultValue: false);
    }
}
