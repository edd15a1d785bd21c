using Microsoft.EntityFrameworkCore;
using WaIdentity.IdP.Oidc.Clients;
using WaIdentity.IdP.Oidc.Dpop;
using WaIdentity.IdP.Oidc.Revocation;
using WaIdentity.IdP.Oidc.Tokens;
using WaIdentity.IdP.Persistence;

namespace WaIdentity.IdP.Oidc.Grants;

/// <summary>
/// grant_type=refresh_token (RFC 6749 6) with rotation: each use consumes the token (one conditional update returning the row) and
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
        var access = tokens.NewAccessTokenTerms(client);
        var (auth, scope, next) = await RotateAsync(OpaqueToken.Hash(value), form["scope"].ToString(), client, dpop, access, ct);
        // Signed after the commit, the successor having recorded the access token's jti (revoking the family revokes it
        // too): signing may create a key, a write that would wait behind the rotation's hold on the SQLite writer.
        var signed = await tokens.SignAccessTokenAsync(access, issuer, client, auth.UserId, scope, auth, dpop?.Jkt, ct);
        var idToken = scope.Split(' ').Contains(OidcConstants.ScopeOpenId)
            ? await tokens.CreateIdTokenAsync(issuer, client, auth, null, signed.Token, ct)
            : null;
        return TokenResponse.Write(http, signed.Token, signed.LifetimeSeconds, scope, idToken, next, dpop is not null);
    }

    /// <summary>
    /// Consumes the token and stores its successor in one transaction: one commit per refresh, and never a consumed
    /// token without a successor. A refusal after the consume (the scope) rolls it back. Returns the new token's value.
    /// </summary>
    private async Task<(Authentication Auth, string Scope, string Next)> RotateAsync(string hash, string requestedScope, OidcClient client,
        DpopProof? dpop, AccessTokenTerms access, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var token = await refreshTokens.ConsumeAsync(hash, client.ClientId, dpop?.Jkt, now, ct);
        if (token is null)
        {
            await transaction.RollbackAsync(ct);
            throw await RefusalAsync(hash, client, dpop, now, ct);
        }
        var scope = NarrowScope(token.Scope, requestedScope);
        var auth = new Authentication(token.UserId, token.SessionId, token.AuthTime, token.Amr, token.Acr);
        // The new token keeps the family's original scope, so a narrowed request does not shrink later refreshes.
        var next = await refreshTokens.IssueAsync(client.ClientId, auth, token.Scope, null, token, access, client.IsPublic ? dpop?.Jkt : null, ct);
        await transaction.CommitAsync(ct);
        return (auth, scope, next);
    }

    /// <summary>
    /// Why a token was not consumed, checked in this order: unknown or another client's, bound to another DPoP key,
    /// revoked, already used (a leak: the family is revoked), expired.
    /// </summary>
    private async Task<TokenError> RefusalAsync(string hash, OidcClient client, DpopProof? dpop, DateTimeOffset now, CancellationToken ct)
    {
        var token = await db.Set<RefreshToken>().AsNoTracking().FirstOrDefaultAsync(t => t.Id == hash, ct);
        if (token is null || token.ClientId != client.ClientId) return TokenError.InvalidGrant("The refresh token is invalid.");
        CheckDpopBinding(token, dpop);
        if (token.RevokedAt is not null) return TokenError.InvalidGrant("The refresh token has been revoked.");
        if (token.ConsumedAt is not null) return await RejectReuseAsync(token, ct);
        if (token.ExpiresAt <= now) return TokenError.InvalidGrant("The refresh token has expired.");
        // Live by now: a concurrent use rolled back between the update and this read (SQLite writers are serial, so
        // PostgreSQL only). Refused, and nothing consumed.
        return TokenError.InvalidGrant("The refresh token is invalid.");
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

    private async Task<TokenError> RejectReuseAsync(RefreshToken token, CancellationToken ct)
    {
        var revoked = await revoker.RevokeFamilyAsync(token.FamilyId, ct);
        log.LogWarning("Refresh token reused by client {ClientId}: revoked its family ({Count} tokens)", token.ClientId, revoked);
        return TokenError.InvalidGrant("The refresh token has already been used.");
    }
}
