using Microsoft.EntityFrameworkCore;
using WaIdentity.IdP.Oidc.Clients;
using WaIdentity.IdP.Oidc.Dpop;
using WaIdentity.IdP.Oidc.Revocation;
using WaIdentity.IdP.Oidc.Tokens;
using WaIdentity.IdP.Persistence;

namespace WaIdentity.IdP.Oidc.Grants;

/// <summary>
/// grant_type=refresh_token (RFC 6749 6) with rotation: each use consumes the token (atomic conditional update) and
/// issues the next of its family. A consumed token presented again means it leaked: the whole family is revoked, with
/// the access tokens issued from it. A family bound to a DPoP key (public clients, RFC 9449 5) is refreshed only with a
/// proof signed by that key, checked before anything is consumed so a stolen bound token cannot even spend itself.
/// </summary>
internal sealed class RefreshTokenGrant(IdpDbContext db, TokenIssuer tokens, RefreshTokenStore refreshTokens, TokenRevoker revoker, TimeProvider clock, ILogger<RefreshTokenGrant> log)
{
    public async Task<IResult> HandleAsync(HttpContext http, IFormCollection form, OidcClient client, string issuer, DpopProof? dpop, CancellationToken ct)
    {
        var value = form["refresh_token"].ToString();
        if (value.Length == 0) throw TokenError.InvalidRequest("refresh_token is missing.");
        var hash = OpaqueToken.Hash(value);
        var token = await db.Set<RefreshToken>().AsNoTracking().FirstOrDefaultAsync(t => t.Id == hash, ct);
        if (token is null || token.ClientId != client.ClientId) throw TokenError.InvalidGrant("The refresh token is invalid.");
        CheckDpopBinding(token, dpop);
        if (token.RevokedAt is not null) throw TokenError.InvalidGrant("The refresh token has been revoked.");
        if (token.ConsumedAt is not null) await RejectReuseAsync(token, ct);
        var now = clock.GetUtcNow();
        if (token.ExpiresAt <= now) throw TokenError.InvalidGrant("The refresh token has expired.");
        var scope = NarrowScope(token.Scope, form["scope"].ToString());

        var auth = new Authentication(token.UserId, token.SessionId, token.AuthTime, token.Amr, token.Acr);
        // Signed before the rotation so the successor records its jti: revoking the family revokes this access token too.
        var access = await tokens.CreateAccessTokenAsync(issuer, client, token.UserId, scope, auth, dpop?.Jkt, ct);
        string next;
        // Consume and successor in one transaction: one commit per refresh, and never a consumed token without a successor.
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            var won = await db.Set<RefreshToken>().Where(t => t.Id == token.Id && t.ConsumedAt == null && t.RevokedAt == null)
                .ExecuteUpdateAsync(u => u.SetProperty(t => t.ConsumedAt, now), ct);
            if (won == 0)
            {
                await transaction.RollbackAsync(ct);
                await RejectReuseAsync(token, ct);
            }
            // The new token keeps the family's original scope, so a narrowed request does not shrink later refreshes.
            next = await refreshTokens.IssueAsync(client.ClientId, auth, token.Scope, null, token, access, client.IsPublic ? dpop?.Jkt : null, ct);
            await transaction.CommitAsync(ct);
        }
        var idToken = scope.Split(' ').Contains(OidcConstants.ScopeOpenId)
            ? await tokens.CreateIdTokenAsync(issuer, client, auth, null, access.Token, ct)
            : null;
        return TokenResponse.Write(http, access.Token, access.LifetimeSeconds, scope, idToken, next, dpop is not null);
    }

    /// <summary>RFC 6749 6: a requested scope must not exceed the original grant.</summary>
    private static string NarrowScope(string granted, string requested)
    {
        if (requested.Length == 0) return granted;
        var asked = requested.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var have = granted.Split(' ');
        if (asked.FirstOrDefault(s => !have.Contains(s)) is { } extra) throw TokenError.InvalidScope($"The scope '{extra}' was not granted.");
        return string.Join(' ', asked.Distinct());
    }

    private static void CheckDpopBinding(RefreshToken token, DpopProof? dpop)
    {
        if (token.DpopJkt is null) return;
        if (dpop is null) throw new TokenError(DpopNames.InvalidProof, "This refresh token is bound to a DPoP key: send a DPoP proof signed with it.");
        if (dpop.Jkt != token.DpopJkt) throw TokenError.InvalidGrant("This refresh token is bound to another DPoP key.");
    }

    private async Task RejectReuseAsync(RefreshToken token, CancellationToken ct)
    {
        var revoked = await revoker.RevokeFamilyAsync(token.FamilyId, ct);
        log.LogWarning("Refresh token reused by client {ClientId}: revoked its family ({Count} tokens)", token.ClientId, revoked);
        throw TokenError.InvalidGrant("The refresh token has already been used.");
    }
}
