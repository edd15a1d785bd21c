using Microsoft.Extensions.Options;
using WaIdentity.IdP.Oidc.Tokens;
using WaIdentity.IdP.Persistence;

namespace WaIdentity.IdP.Oidc.Grants;

/// <summary>Issues refresh tokens: a new family after a code, or the next token of a family after a rotation.</summary>
internal sealed class RefreshTokenStore(IdpDbContext db, TimeProvider clock, IOptions<OidcOptions> options)
{
    /// <param name="access">The access token issued in the same response: revoked with the family.</param>
    /// <param name="dpopJkt">The DPoP key a public client's token is bound to; a family once bound stays bound to its key.</param>
    public async Task<string> IssueAsync(string clientId, Authentication auth, string scope, string? codeId, RefreshToken? previous, IssuedAccessToken? access,
        string? dpopJkt, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var value = OpaqueToken.New();
        var familyExpiresAt = previous?.FamilyExpiresAt ?? now.AddHours(options.Value.RefreshTokenAbsoluteHours);
        var idle = now.AddHours(options.Value.RefreshTokenIdleHours);
        db.Set<RefreshToken>().Add(new RefreshToken
        {
            Id = OpaqueToken.Hash(value), FamilyId = previous?.FamilyId ?? OpaqueToken.New()[..32], ClientId = clientId,
            UserId = auth.UserId, SessionId = auth.SessionId, CodeId = previous?.CodeId ?? codeId, Scope = scope,
            Amr = auth.Amr, Acr = auth.Acr, AuthTime = auth.AuthTime, CreatedAt = now,
            ExpiresAt = idle < familyExpiresAt ? idle : familyExpiresAt, FamilyExpiresAt = familyExpiresAt,
            AccessTokenId = access?.TokenId, AccessTokenExpiresAt = access?.ExpiresAt, DpopJkt = previous?.DpopJkt ?? dpopJkt,
        });
        await db.SaveChangesAsync(ct);
        return value;
    }
}
