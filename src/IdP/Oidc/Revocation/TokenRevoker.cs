using Microsoft.EntityFrameworkCore;
using WaIdentity.IdP.Oidc.Grants;
using WaIdentity.IdP.Persistence;

namespace WaIdentity.IdP.Oidc.Revocation;

/// <summary>Revokes access tokens (deny-list by jti until expiry) and refresh token families.</summary>
internal sealed class TokenRevoker(IdpDbContext db, TimeProvider clock)
{
    public async Task RevokeAccessTokenAsync(string tokenId, DateTimeOffset expiresAt, CancellationToken ct)
    {
        if (await db.Set<RevokedAccessToken>().AnyAsync(t => t.TokenId == tokenId, ct)) return;
        db.Set<RevokedAccessToken>().Add(new RevokedAccessToken { TokenId = tokenId, ExpiresAt = expiresAt });
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException) { /* revoked concurrently: the row exists, which is all we need */ }
    }

    public Task<bool> IsAccessTokenRevokedAsync(string tokenId, CancellationToken ct) =>
        db.Set<RevokedAccessToken>().AnyAsync(t => t.TokenId == tokenId, ct);

    /// <summary>
    /// A leaked family (RFC 9700 4.14.2): its refresh tokens and every access token still live that was issued with one
    /// of them, so a thief holding the newest access token loses it too. Returns the refresh tokens revoked.
    /// </summary>
    public async Task<int> RevokeFamilyAsync(string familyId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var revoked = await db.Set<RefreshToken>().Where(t => t.FamilyId == familyId && t.RevokedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(t => t.RevokedAt, now), ct);
        var live = await db.Set<RefreshToken>().AsNoTracking()
            .Where(t => t.FamilyId == familyId && t.AccessTokenId != null && t.AccessTokenExpiresAt > now)
            .Select(t => new { t.AccessTokenId, t.AccessTokenExpiresAt }).ToListAsync(ct);
        foreach (var access in live) await RevokeAccessTokenAsync(access.AccessTokenId!, access.AccessTokenExpiresAt!.Value, ct);
        return revoked;
    }

    /// <summary>A replayed authorization code: revoke the access token and refresh family it issued (RFC 9700 4.2.4).</summary>
    public async Task RevokeIssuedFromCodeAsync(AuthorizationCode code, CancellationToken ct)
    {
        if (code.AccessTokenId is not null) await RevokeAccessTokenAsync(code.AccessTokenId, code.AccessTokenExpiresAt!.Value, ct);
        var now = clock.GetUtcNow();
        await db.Set<RefreshToken>().Where(t => t.CodeId == code.Id && t.RevokedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(t => t.RevokedAt, now), ct);
    }
}
