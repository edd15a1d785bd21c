using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace WaIdentity.IdP.Persistence.Migrations;

/// <summary>Schema version 17: passkeys (WebAuthn credentials) and the ceremonies waiting for an answer.</summary>
[DbContext(typeof(IdpDbContext))]
[Migration("0017_Passkeys")]
internal sealed class V0017_Passkeys : Migration
{
    protected override void Up(MigrationBuilder m)
    {
        m.CreateTable("Passkeys", t => new
        {
            Id = t.Column<string>(maxLength: 32, nullable: false),
            UserId = t.Column<string>(nullable: false),
            CredentialId = t.Column<string>(maxLength: 1400, nullable: false),
            PublicKey = t.Column<byte[]>(nullable: false),
            UserHandle = t.Column<string>(maxLength: 100, nullable: false),
            SignCount = t.Column<long>(nullable: false),
            Transports = t.Column<string>(maxLength: 200, nullable: false),
            BackupEligible = t.Column<bool>(nullable: false),
            BackedUp = t.Column<bool>(nullable: false),
            Aaguid = t.Column<Guid>(nullable: false),
            Name = t.Column<string>(maxLength: 64, nullable: false),
            CreatedAt = t.Column<long>(nullable: false),
            LastUsedAt = t.Column<long>(nullable: true),
        }, constraints: t => t.PrimaryKey("PK_Passkeys", x => x.Id));
        m.CreateIndex("IX_Passkeys_CredentialId", "Passkeys", "CredentialId", unique: true);
        m.CreateIndex("IX_Passkeys_UserId", "Passkeys", "UserId");

        m.CreateTable("PasskeyCeremonies", t => new
        {
            Id = t.Column<string>(maxLength: 64, nullable: false),
            Purpose = t.Column<int>(nullable: false),
            UserId = t.Column<string>(nullable: true),
            SessionId = t.Column<string>(maxLength: 64, nullable: true),
            OptionsJson = t.Column<string>(maxLength: 8000, nullable: false),
            ExpiresAt = t.Column<long>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_PasskeyCeremonies", x => x.Id));
        m.CreateIndex("IX_PasskeyCeremonies_ExpiresAt", "PasskeyCeremonies", "ExpiresAt");
    }
}
