using Microsoft.EntityFrameworkCore;
using WaIdentity.IdP.Oidc.Authorize;
using WaIdentity.IdP.Oidc.Clients;
using WaIdentity.IdP.Oidc.Dpop;
using WaIdentity.IdP.Oidc.Logout;
using WaIdentity.IdP.Oidc.Revocation;
using WaIdentity.IdP.Oidc.Tokens;
using WaIdentity.IdP.Persistence;

namespace WaIdentity.IdP.Oidc.Grants;

/// <summary>
/// grant_type=authorization_code (RFC 6749 4.1.3, RFC 7636, OIDC Core 3.1.3): the code must belong to this client,
/// be unexpired and unused, name the same redirect_uri and prove PKCE. Redemption is an atomic conditional update,
/// so two concurrent uses cannot both win; a reused code revokes what it issued. A code bound by dpop_jkt needs a proof
/// with that key (RFC 9449 10); a public client's refresh token is bound to the proof's key (RFC 9449 5).
/// </summary>
internal sealed class AuthorizationCodeGrant(IdpDbContext db, TokenIssuer tokens, RefreshTokenStore refreshTokens, SessionClients sessionClients, TokenRevoker revoker, TimeProvider clock, ILogger<AuthorizationCodeGrant> log)
{
    public async Task<IResult> HandleAsync(HttpContext http, IFormCollection form, OidcClient client, string issuer, DpopProof? dpop, CancellationToken ct)
    {
        var value = form["code"].ToString();
        if (value.Length == 0) throw TokenError.InvalidRequest("code is missing.");
        var hash = OpaqueToken.Hash(value);
        var code = await db.Set<AuthorizationCode>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == hash, ct);
        if (code is null || code.ClientId != client.ClientId) throw TokenError.InvalidGrant("The code is invalid.");
        if (code.RedeemedAt is not null) await RejectReuseAsync(code, ct);
        if (code.ExpiresAt <= clock.GetUtcNow()) throw TokenError.InvalidGrant("The code has expired.");
        if (form["redirect_uri"].ToString() != code.RedirectUri) throw TokenError.InvalidGrant("redirect_uri does not match the authorization request.");
        CheckPkce(code, form["code_verifier"].ToString());
        CheckDpopBinding(code, dpop);

        var now = clock.GetUtcNow();
        var won = await db.Set<AuthorizationCode>().Where(c => c.Id == code.Id && c.RedeemedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.RedeemedAt, now), ct);
        if (won == 0) await RejectReuseAsync(code, ct);

        var auth = new Authentication(code.UserId, code.SessionId, code.AuthTime, code.Amr, code.Acr);
        var access = await tokens.CreateAccessTokenAsync(issuer, client, code.UserId, code.Scope, auth, dpop?.Jkt, ct);
        await db.Set<AuthorizationCode>().Where(c => c.Id == code.Id).ExecuteUpdateAsync(u => u
            .SetProperty(c => c.AccessTokenId, access.TokenId).SetProperty(c => c.AccessTokenExpiresAt, access.ExpiresAt), ct);
        var idToken = await tokens.CreateIdTokenAsync(issuer, client, auth, code.Nonce, access.Token, ct);
        await sessionClients.RecordAsync(code.SessionId, client.ClientId, issuer, ct);
        var refresh = RefreshAllowed(client, code.Scope)
            ? await refreshTokens.IssueAsync(client.ClientId, auth, code.Scope, code.Id, null, access, client.IsPublic ? dpop?.Jkt : null, ct)
            : null;
        return TokenResponse.Write(http, access.Token, access.LifetimeSeconds, code.Scope, idToken, refresh, dpop is not null);
    }

    /// <summary>Refresh tokens need the offline_access scope (OIDC Core 11) and the grant on the client.</summary>
    public static bool RefreshAllowed(OidcClient client, string scope) =>
        client.GrantTypeList.Contains(OidcConstants.GrantRefreshToken) && scope.Split(' ').Contains(OidcConstants.ScopeOfflineAccess);

    private static void CheckPkce(AuthorizationCode code, string verifier)
    {
        if (code.CodeChallenge is null)
        {
            // RFC 9700 2.1.1: a verifier for a code issued without a challenge is a PKCE downgrade attempt.
            if (verifier.Length > 0) throw TokenError.InvalidGrant("code_verifier was sent but the authorization request had no code_challenge.");
            return;
        }
        if (verifier.Length == 0) throw TokenError.InvalidGrant("code_verifier is missing.");
        if (!PkceValidator.Verify(verifier, code.CodeChallenge)) throw TokenError.InvalidGrant("code_verifier does not match the code_challenge.");
    }

    private static void CheckDpopBinding(AuthorizationCode code, DpopProof? dpop)
    {
        if (code.DpopJkt is null) return;
        if (dpop is null) throw new TokenError(DpopNames.InvalidProof, "The authorization request named a DPoP key (dpop_jkt): send a DPoP proof signed with it.");
        if (dpop.Jkt != code.DpopJkt) throw TokenError.InvalidGrant("The DPoP proof's key is not the dpop_jkt of the authorization request.");
    }

    private async Task RejectReuseAsync(AuthorizationCode code, CancellationToken ct)
    {
        var fresh = await db.Set<AuthorizationCode>().AsNoTracking().FirstAsync(c => c.Id == code.Id, ct);
        await revoker.RevokeIssuedFromCodeAsync(fresh, ct);
        log.LogWarning("Authorization code reused by client {ClientId}: revoked the tokens it issued", code.ClientId);
        throw TokenError.InvalidGrant("The code has already been used.");
    }
}
