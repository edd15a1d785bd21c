using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace WaIdentity.IdP.Persistence.Migrations;

/// <summary>
/// Schema version 2: the OpenID Connect server's clients, signing keys, pending authorization requests, codes,
/// refresh tokens, the access-token deny-list and remembered consents. Times are bigint unix milliseconds.
/// </summary>
[DbContext(typeof(IdpDbContext))]
[Migration("0002_Oidc")]
internal sealed class V0002_Oidc : Migration
{
    protected override void Up(MigrationBuilder m)
    {
        m.CreateTable("OidcClients", t => new
        {
            ClientId = t.Column<string>(maxLength: 100, nullable: false),
            DisplayName = t.Column<string>(maxLength: 200, nullable: false),
            SecretHash = t.Column<string>(maxLength: 64, nullable: true),
            RedirectUris = t.Column<string>(nullable: false),
            PostLogoutRedirectUris = t.Column<string>(nullable: false),
            GrantTypes = t.Column<string>(nullable: false),
            Scopes = t.Column<string>(nullable: false),
            FirstParty = t.Column<bool>(nullable: false),
            SigningAlgorithm = t.Column<string>(maxLength: 10, nullable: false),
            CreatedAt = t.Column<long>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_OidcClients", x => x.ClientId));

        m.CreateTable("OidcSigningKeys", t => new
        {
            Id = t.Column<string>(maxLength: 64, nullable: false),
            Algorithm = t.Column<string>(maxLength: 10, nullable: false),
            Generation = t.Column<int>(nullable: false),
            ProtectedPrivateKey = t.Column<string>(nullable: false),
            CreatedAt = t.Column<long>(nullable: false),
            ActivatesAt = t.Column<long>(nullable: false),
            RetiresAt = t.Column<long>(nullable: false),
            ExpiresAt = t.Column<long>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_OidcSigningKeys", x => x.Id));
        m.CreateIndex("IX_OidcSigningKeys_Algorithm_Generation", "OidcSigningKeys", ["Algorithm", "Generation"], unique: true);

        m.CreateTable("OidcPendingAuthorizations", t => new
        {
            Id = t.Column<string>(maxLength: 64, nullable: false),
            ClientId = t.Column<string>(maxLength: 100, nullable: false),
            Parameters = t.Column<string>(nullable: false),
            CreatedAt = t.Column<long>(nullable: false),
            ExpiresAt = t.Column<long>(nullable: false),
            LoginRequestedAt = t.Column<long>(nullable: true),
        }, constraints: t => t.PrimaryKey("PK_OidcPendingAuthorizations", x => x.Id));
        m.CreateIndex("IX_OidcPendingAuthorizations_ExpiresAt", "OidcPendingAuthorizations", "ExpiresAt");

        m.CreateTable("OidcAuthorizationCodes", t => new
        {
            Id = t.Column<string>(maxLength: 64, nullable: false),
            ClientId = t.Column<string>(maxLength: 100, nullable: false),
            UserId = t.Column<string>(nullable: false),
            SessionId = t.Column<string>(maxLength: 64, nullable: false),
            RedirectUri = t.Column<string>(nullable: false),
            Scope = t.Column<string>(nullable: false),
            Nonce = t.Column<string>(nullable: true),
            CodeChallenge = t.Column<string>(nullable: true),
            Amr = t.Column<string>(nullable: false),
            Acr = t.Column<string>(nullable: false),
            AuthTime = t.Column<long>(nullable: false),
            CreatedAt = t.Column<long>(nullable: false),
            ExpiresAt = t.Column<long>(nullable: false),
            RedeemedAt = t.Column<long>(nullable: true),
            AccessTokenId = t.Column<string>(maxLength: 64, nullable: true),
            AccessTokenExpiresAt = t.Column<long>(nullable: true),
        }, constraints: t => t.PrimaryKey("PK_OidcAuthorizationCodes", x => x.Id));
        m.CreateIndex("IX_OidcAuthorizationCodes_ExpiresAt", "OidcAuthorizationCodes", "ExpiresAt");

        m.CreateTable("OidcRefreshTokens", t => new
        {
            Id = t.Column<string>(maxLength: 64, nullable: false),
            FamilyId = t.Column<string>(maxLength: 64, nullable: false),
            ClientId = t.Column<string>(maxLength: 100, nullable: false),
            UserId = t.Column<string>(nullable: false),
            SessionId = t.Column<string>(maxLength: 64, nullable: false),
            CodeId = t.Column<string>(maxLength: 64, nullable: true),
            Scope = t.Column<string>(nullable: false),
            Amr = t.Column<string>(nullable: false),
            Acr = t.Column<string>(nullable: false),
            AuthTime = t.Column<long>(nullable: false),
            CreatedAt = t.Column<long>(nullable: false),
            ExpiresAt = t.Column<long>(nullable: false),
            FamilyExpiresAt = t.Column<long>(nullable: false),
            ConsumedAt = t.Column<long>(nullable: true),
            RevokedAt = t.Column<long>(nullable: true),
        }, constraints: t => t.PrimaryKey("PK_OidcRefreshTokens", x => x.Id));
        m.CreateIndex("IX_OidcRefreshTokens_FamilyId", "OidcRefreshTokens", "FamilyId");
        m.CreateIndex("IX_OidcRefreshTokens_CodeId", "OidcRefreshTokens", "CodeId");
        m.CreateIndex("IX_OidcRefreshTokens_FamilyExpiresAt", "OidcRefreshTokens", "FamilyExpiresAt");

        m.CreateTable("OidcRevokedAccessTokens", t => new
        {
            TokenId = t.Column<string>(maxLength: 64, nullable: false),
            ExpiresAt = t.Column<long>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_OidcRevokedAccessTokens", x => x.TokenId));
        m.CreateIndex("IX_OidcRevokedAccessTokens_ExpiresAt", "OidcRevokedAccessTokens", "ExpiresAt");

        m.CreateTable("OidcConsents", t => new
        {
            UserId = t.Column<string>(nullable: false),
            ClientId = t.Column<string>(maxLength: 100, nullable: false),
            Scopes = t.Column<string>(nullable: false),
            GrantedAt = t.Column<long>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_OidcConsents", x => new { x.UserId, x.ClientId }));
    }
}
