using Microsoft.EntityFrameworkCore;
using WaIdentity.IdP.Oidc.Clients;
using WaIdentity.IdP.Oidc.Consent;
using WaIdentity.IdP.Oidc.Grants;
using WaIdentity.IdP.Persistence;

namespace WaIdentity.IdP.Account;

/// <param name="Consented">The user allowed it on the consent page (and can take that back); false for a trusted
/// (first-party) app, which never asks, seen here because it signed in through one of the user's sessions.</param>
internal sealed record ConnectedApp(string ClientId, string Name, IReadOnlyList<string> Scopes, DateTimeOffset GrantedAt, bool Consented = true);

/// <summary>
/// The apps a user has allowed (consents), and the trusted apps that never ask but signed in through one of the user's
/// active sessions or hold a live refresh token; revoking one forgets the consent and revokes that app's refresh tokens.
/// </summary>
internal sealed class ConnectedApps(IdpDbContext db, TimeProvider clock)
{
    public async Task<IReadOnlyList<ConnectedApp>> ListAsync(string userId, CancellationToken ct)
    {
        var grants = await db.Set<ConsentGrant>().AsNoTracking().Where(c => c.UserId == userId).OrderBy(c => c.ClientId).ToListAsync(ct);
        var used = await UsedWithoutConsentAsync(userId, grants.Select(g => g.ClientId).ToHashSet(), ct);
        var ids = grants.Select(g => g.ClientId).Concat(used.Select(u => u.ClientId)).ToList();
        var names = await db.Set<OidcClient>().AsNoTracking().Where(c => ids.Contains(c.ClientId)).ToDictionaryAsync(c => c.ClientId, c => c.DisplayName, ct);
        return grants.Select(g => new ConnectedApp(g.ClientId, names.GetValueOrDefault(g.ClientId, g.ClientId),
                g.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries), g.GrantedAt))
            .Concat(used.Select(u => u with { Name = names.GetValueOrDefault(u.ClientId, u.ClientId) }))
            .OrderBy(a => a.Name, StringComparer.CurrentCultureIgnoreCase).ToList();
    }

    /// <summary>First-party apps (no consent) that got a code in one of the user's active sessions, or hold a live refresh token.</summary>
    private async Task<List<ConnectedApp>> UsedWithoutConsentAsync(string userId, HashSet<string> consented, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var active = db.UserSessions.Where(s => s.UserId == userId && s.EndedAt == null && s.ExpiresAt > now).Select(s => s.Id);
        var codes = await db.Set<AuthorizationCode>().AsNoTracking().Where(c => c.UserId == userId && active.Contains(c.SessionId))
            .Select(c => new { c.ClientId, c.Scope, c.CreatedAt }).ToListAsync(ct);
        var tokens = await db.Set<RefreshToken>().AsNoTracking().Where(t => t.UserId == userId && t.RevokedAt == null && t.FamilyExpiresAt > now)
            .Select(t => new { t.ClientId, t.Scope, t.CreatedAt }).ToListAsync(ct);
        // Only apps that never ask: a third-party app whose consent was removed is gone until the user allows it again.
        var firstParty = await db.Set<OidcClient>().AsNoTracking().Where(c => c.FirstParty).Select(c => c.ClientId).ToListAsync(ct);
        return codes.Concat(tokens).Where(u => !consented.Contains(u.ClientId) && firstParty.Contains(u.ClientId)).GroupBy(u => u.ClientId)
            .Select(g => g.OrderByDescending(u => u.CreatedAt).First())
            .Select(u => new ConnectedApp(u.ClientId, u.ClientId, u.Scope.Split(' ', StringSplitOptions.RemoveEmptyEntries), u.CreatedAt, Consented: false))
            .ToList();
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
