using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace WaIdentity.IdP.Persistence.Migrations;

/// <summary>
/// Schema version 10: each refresh token records the access token issued with it (jti and expiry), so revoking a
/// leaked family revokes its live access tokens too. Tokens issued before this version have none to revoke.
/// </summary>
[DbContext(typeof(IdpDbContext))]
[Migration("0010_RefreshTokenAccessTokens")]
internal sealed class V0010_RefreshTokenAccessTokens : Migration
{
    protected override void Up(MigrationBuilder m)
    {
        m.AddColumn<string>("AccessTokenId", "OidcRefreshTokens", maxLength: 64, nullable: true);
        m.AddColumn<long>("AccessTokenExpiresAt", "OidcRefreshTokens", nullable: true);
    }
}
