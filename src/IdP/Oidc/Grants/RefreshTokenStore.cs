using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WaIdentity.IdP.Oidc.Tokens;
using WaIdentity.IdP.Persistence;

namespace WaIdentity.IdP.Oidc.Grants;

/// <summary>Issues refresh tokens (a new family after a code, or the next token of a family after a rotation) and consumes them.</summary>
internal sealed class RefreshTokenStore(IdpDbContext db, TimeProvider clock, IOptions<OidcOptions> options)
{
    /// <param name="access">The access token issued in the same response: revoked with the family.</param>
    /// <param name="dpopJkt">The DPoP key a public client's token is bound to; a family once bound stays bound to its key.</param>
    public async Task<string> IssueAsync(string clientId, Authentication auth, string scope, string? codeId, RefreshToken? previous, AccessTokenTerms? access,
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

    /// <summary>
    /// Consumes the token if it is live, this client's and, when bound, bound to <paramref name="dpopJkt"/>: one
    /// conditional UPDATE that returns the row, so reading and consuming are one statement and two concurrent uses
    /// cannot both win. Null when nothing was consumed (unknown, another client's, another key's, revoked, used or
    /// expired): the caller reads the row to tell which. A token that fails a check is never consumed.
    /// </summary>
    public Task<RefreshToken?> ConsumeAsync(string hash, string clientId, string? dpopJkt, DateTimeOffset now, CancellationToken ct)
    {
        var at = now.ToUnixTimeMilliseconds();
        // SQL Server has OUTPUT where SQLite (3.35+) and PostgreSQL have RETURNING.
        var consumed = db.Database.IsSqlServer()
            ? db.Set<RefreshToken>().FromSql($"""
                UPDATE "OidcRefreshTokens" SET "ConsumedAt" = {at} OUTPUT INSERTED.*
                WHERE "Id" = {hash} AND "ClientId" = {clientId} AND "ConsumedAt" IS NULL AND "RevokedAt" IS NULL AND "ExpiresAt" > {at}
                AND ("DpopJkt" IS NULL OR "DpopJkt" = {dpopJkt})
                """)
            : db.Set<RefreshToken>().FromSql($"""
                UPDATE "OidcRefreshTokens" SET "ConsumedAt" = {at}
                WHERE "Id" = {hash} AND "ClientId" = {clientId} AND "ConsumedAt" IS NULL AND "RevokedAt" IS NULL AND "ExpiresAt" > {at}
                AND ("DpopJkt" IS NULL OR "DpopJkt" = {dpopJkt}) RETURNING *
                """);
        // Not composable (an UPDATE): enumerated as written, never wrapped in a SELECT.
        return consumed.AsNoTracking().AsAsyncEnumerable().FirstOrDefaultAsync(ct).AsTask();
    }
}
