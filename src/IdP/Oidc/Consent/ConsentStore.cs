using Microsoft.EntityFrameworkCore;
using WaIdentity.IdP.Persistence;

namespace WaIdentity.IdP.Oidc.Consent;

/// <summary>Remembered consent per user and client: covers a request when every requested scope was allowed before.</summary>
internal sealed class ConsentStore(IdpDbContext db, TimeProvider clock)
{
    public async Task<bool> CoversAsync(string userId, string clientId, IEnumerable<string> scopes, CancellationToken ct)
    {
        var grant = await db.Set<ConsentGrant>().AsNoTracking().FirstOrDefaultAsync(c => c.UserId == userId && c.ClientId == clientId, ct);
        if (grant is null) return false;
        var allowed = grant.Scopes.Split(' ');
        return scopes.All(allowed.Contains);
    }

    public async Task GrantAsync(string userId, string clientId, IEnumerable<string> scopes, CancellationToken ct)
    {
        var grant = await db.Set<ConsentGrant>().FirstOrDefaultAsync(c => c.UserId == userId && c.ClientId == clientId, ct);
        if (grant is null) db.Set<ConsentGrant>().Add(grant = new ConsentGrant { UserId = userId, ClientId = clientId });
        grant.Scopes = string.Join(' ', grant.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries).Union(scopes));
        grant.GrantedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
    }
}
