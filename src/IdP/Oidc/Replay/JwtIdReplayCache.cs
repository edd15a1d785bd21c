using Microsoft.EntityFrameworkCore;
using WaIdentity.IdP.Oidc.Tokens;
using WaIdentity.IdP.Persistence;

namespace WaIdentity.IdP.Oidc.Replay;

/// <summary>
/// Refuses a JWT id seen before, on any node: the first use inserts its row, a replay finds the row there (one
/// conditional insert, so two concurrent uses cannot both win). Rows live until the JWT expires, then the purge job
/// deletes them; an expired JWT is refused by its own exp check.
/// </summary>
internal sealed class JwtIdReplayCache(IdpDbContext db)
{
    /// <summary>True the first time <paramref name="jti"/> of this kind and issuer is used; false on a replay.</summary>
    public async Task<bool> TryUseAsync(string kind, string issuer, string jti, DateTimeOffset expiresAt, CancellationToken ct)
    {
        var key = OpaqueToken.Hash($"{kind}:{issuer}:{jti}");
        var expires = expiresAt.ToUnixTimeMilliseconds();
        var inserted = db.Database.IsSqlServer()
            ? await db.Database.ExecuteSqlInterpolatedAsync($"""
                MERGE "OidcUsedJwtIds" WITH (HOLDLOCK) AS t USING (SELECT {key} AS "Key") AS s ON t."Key" = s."Key"
                WHEN NOT MATCHED THEN INSERT ("Key", "ExpiresAt") VALUES ({key}, {expires});
                """, ct)
            : await db.Database.ExecuteSqlInterpolatedAsync($"""
                INSERT INTO "OidcUsedJwtIds" ("Key", "ExpiresAt") VALUES ({key}, {expires}) ON CONFLICT ("Key") DO NOTHING
                """, ct);
        return inserted == 1;
    }
}
