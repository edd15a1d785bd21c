using Microsoft.EntityFrameworkCore;
using WaIdentity.IdP.Oidc.Clients;
using WaIdentity.IdP.Oidc.Consent;
using WaIdentity.IdP.Oidc.Token;
using WaIdentity.IdP.Persistence;

namespace WaIdentity.IdP.Account;

public sealed record ConnectedApp(string ClientId, string Name, IReadOnlyList<string> Scopes, DateTimeOffset GrantedAt);

/// <summary>The apps a user has allowed (consents); revoking one forgets the consent and revokes that app's refresh tokens.</summary>
public sealed class ConnectedApps(IdpDbContext db, TimeProvider clock)
{
    public async Task<IReadOnlyList<ConnectedApp>> ListAsync(string userId, CancellationToken ct)
    {
        var grants = await db.Set<ConsentGrant>().AsNoTracking().Where(c => c.UserId == userId).OrderBy(c => c.ClientId).ToListAsync(ct);
        var ids = grants.Select(g => g.ClientId).ToList();
        var names = await db.Set<OidcClient>().AsNoTracking().Where(c => ids.Contains(c.ClientId)).ToDictionaryAsync(c => c.ClientId, c => c.DisplayName, ct);
        return grants.Select(g => new ConnectedApp(g.ClientId, names.GetValueOrDefault(g.ClientId, g.ClientId),
            g.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries), g.GrantedAt)).ToList();
    }

    public async Task<bool> RevokeAsync(string userId, string clientId, CancellationToken ct)
    {
        var removed = await db.Set<ConsentGrant>().Where(c => c.UserId == userId && c.ClientId == clientId).ExecuteDeleteAsync(ct);
        var now = clock.GetUtcNow();
        await db.Set<RefreshToken>().Where(t => t.UserId == userId && t.ClientId == clientId && t.RevokedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(t => t.RevokedAt, now), ct);
        return removed > 0;
    }
}
