using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using WaIdentity.IdP.Oidc.Clients;
using WaIdentity.IdP.Oidc.Tokens;
using WaIdentity.IdP.Persistence;

namespace WaIdentity.IdP.Gateway;

/// <summary>A key as it was made: the secret value (shown once, never stored) and its record.</summary>
internal sealed record NewApiKey(string Key, GatewayApiKey Record);

/// <summary>
/// Creates, lists, revokes and checks a client's API keys. A key carries scopes chosen from the client's own wa.*
/// scopes, works until revoked (or the client is disabled), and is looked up by its SHA-256 hash.
/// </summary>
internal sealed class GatewayApiKeys(IdpDbContext db, ClientRegistry clients, TimeProvider clock)
{
    public const int MaxNameLength = 100;

    /// <summary>The new key, or the problems that stopped it.</summary>
    public async Task<(NewApiKey? Key, List<GatewayFieldProblem> Problems)> CreateAsync(string clientId, string name, IReadOnlyList<string> scopes, CancellationToken ct = default)
    {
        var client = await clients.FindAsync(clientId, ct);
        if (client is null) return (null, [GatewayFieldProblem.UnknownClient(clientId)]);
        var problems = new List<GatewayFieldProblem>();
        if (string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength) problems.Add(new("name", GatewayRule.NameLength));
        if (scopes.Count == 0) problems.Add(new("scope", GatewayRule.NoScope));
        var granted = string.Join(", ", client.ScopeList.Where(GatewayScopes.All.Contains));
        foreach (var s in scopes.Where(s => !GatewayScopes.All.Contains(s) || !client.ScopeList.Contains(s)))
            problems.Add(new("scope", GatewayRule.ScopeNotGranted, s, granted));
        if (problems.Count > 0) return (null, problems);
        var key = GatewayApiKey.KeyPrefix + OpaqueToken.New();
        var row = new GatewayApiKey
        {
            Id = Guid.NewGuid().ToString("N"), ClientId = clientId, Name = name.Trim(), Prefix = key[..12], Hash = OpaqueToken.Hash(key),
            Scopes = string.Join(' ', scopes.Distinct()), CreatedAt = clock.GetUtcNow(),
        };
        db.Set<GatewayApiKey>().Add(row);
        await db.SaveChangesAsync(ct);
        return (new NewApiKey(key, row), []);
    }

    public Task<List<GatewayApiKey>> ListAsync(string clientId, CancellationToken ct = default) =>
        db.Set<GatewayApiKey>().AsNoTracking().Where(k => k.ClientId == clientId).OrderBy(k => k.CreatedAt).ToListAsync(ct);

    /// <summary>Revokes a key of this client (false: no such key). It stops working at once.</summary>
    public async Task<bool> RevokeAsync(string clientId, string id, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        return await db.Set<GatewayApiKey>().Where(k => k.Id == id && k.ClientId == clientId && k.RevokedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(k => k.RevokedAt, now), ct) > 0;
    }

    /// <summary>The live key a caller presented, or null (unknown, revoked, or its client disabled or gone).</summary>
    public async Task<GatewayApiKey?> FindLiveAsync(string presented, CancellationToken ct = default)
    {
        var hash = OpaqueToken.Hash(presented);
        var row = await db.Set<GatewayApiKey>().AsNoTracking().FirstOrDefaultAsync(k => k.Hash == hash && k.RevokedAt == null, ct);
        // The lookup is by hash; the comparison that decides is constant-time all the same.
        if (row is null || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(row.Hash), Encoding.ASCII.GetBytes(hash))) return null;
        if (await clients.FindAsync(row.ClientId, ct) is null) return null;
        var now = clock.GetUtcNow();
        await db.Set<GatewayApiKey>().Where(k => k.Id == row.Id).ExecuteUpdateAsync(u => u.SetProperty(k => k.LastUsedAt, now), ct);
        return row;
    }
}
