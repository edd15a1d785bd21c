using Microsoft.EntityFrameworkCore;
using WaIdentity.IdP.Jobs;
using WaIdentity.IdP.Oidc.Authorize;
using WaIdentity.IdP.Oidc.Device;
using WaIdentity.IdP.Oidc.Grants;
using WaIdentity.IdP.Oidc.Par;
using WaIdentity.IdP.Oidc.Replay;
using WaIdentity.IdP.Oidc.Revocation;
using WaIdentity.IdP.Persistence;

namespace WaIdentity.IdP.Oidc;

/// <summary>Deletes expired pending, pushed and device requests, codes, refresh families, deny-list entries and used JWT ids.</summary>
internal sealed class OidcExpiredRowPurger(IdpDbContext db) : IExpiredRowPurger
{
    public string Name => "OIDC requests, codes and tokens";

    public async Task<int> PurgeAsync(DateTimeOffset now, CancellationToken ct)
    {
        // Codes are kept a while after expiry so that a late replay still finds them and revokes what they issued; device
        // requests so that a late poll still gets expired_token rather than invalid_grant.
        var codeCutoff = now.AddHours(-1);
        return await db.Set<PendingAuthorization>().Where(p => p.ExpiresAt < now).ExecuteDeleteAsync(ct)
            + await db.Set<AuthorizationCode>().Where(c => c.ExpiresAt < codeCutoff).ExecuteDeleteAsync(ct)
            + await db.Set<RefreshToken>().Where(t => t.FamilyExpiresAt < now).ExecuteDeleteAsync(ct)
            + await db.Set<RevokedAccessToken>().Where(t => t.ExpiresAt < now).ExecuteDeleteAsync(ct)
            + await db.Set<PushedAuthorization>().Where(p => p.ExpiresAt < now).ExecuteDeleteAsync(ct)
            + await db.Set<UsedJwtId>().Where(u => u.ExpiresAt < now).ExecuteDeleteAsync(ct)
            + await db.Set<DeviceAuthorization>().Where(d => d.ExpiresAt < codeCutoff).ExecuteDeleteAsync(ct);
    }
}
