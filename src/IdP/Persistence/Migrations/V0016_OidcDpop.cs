using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace WaIdentity.IdP.Persistence.Migrations;

/// <summary>
/// Schema version 16: DPoP (RFC 9449). Clients that must send proofs (dpop_bound_access_tokens), codes bound to a key
/// by the dpop_jkt authorization parameter, and refresh families of public clients bound to a key. Proof jti values
/// go to the shared replay cache of version 15 (OidcUsedJwtIds).
/// </summary>
[DbContext(typeof(IdpDbContext))]
[Migration("0016_OidcDpop")]
internal sealed class V0016_OidcDpop : Migration
{
    protected override void Up(MigrationBuilder m)
    {
        m.AddColumn<bool>("DpopBoundAccessTokens", "OidcClients", nullable: false, defaultValue: false);
        m.AddColumn<string>("DpopJkt", "OidcAuthorizationCodes", maxLength: 43, nullable: true);
        m.AddColumn<string>("DpopJkt", "OidcRefreshTokens", maxLength: 43, nullable: true);
    }
}
