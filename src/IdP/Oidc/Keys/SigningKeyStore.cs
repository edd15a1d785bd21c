using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WaIdentity.IdP.Oidc.Tokens;
using WaIdentity.IdP.Persistence;

namespace WaIdentity.IdP.Oidc.Keys;

/// <summary>
/// The signing keys of all nodes, from the database, cached in memory for a minute. The first key of an algorithm is
/// created on first use; <see cref="RotateAsync"/> creates the next one ahead of time. Creation is an insert of
/// (algorithm, generation), which is unique: when two nodes race, one insert fails and that node just reloads.
/// </summary>
internal sealed class SigningKeyStore(IServiceScopeFactory scopes, SigningKeyFactory factory, TimeProvider clock, IOptions<OidcOptions> options, ILogger<SigningKeyStore> log)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(1);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SemaphoreSlim _createGate = new(1, 1);
    private (DateTimeOffset LoadedAt, IReadOnlyList<LoadedKey> Keys)? _cache;

    /// <summary>The key that signs now for <paramref name="algorithm"/>: the newest active generation.</summary>
    public async Task<LoadedKey> GetSigningKeyAsync(string algorithm, CancellationToken ct = default)
    {
        var key = Active(await LoadAsync(false, ct), algorithm, clock.GetUtcNow());
        if (key is not null) return key;
        // First use: one creator per node; across nodes the unique (algorithm, generation) picks one.
        await _createGate.WaitAsync(ct);
        try
        {
            key = Active(await LoadAsync(true, ct), algorithm, clock.GetUtcNow());
            if (key is not null) return key;
            await CreateAsync(algorithm, null, clock.GetUtcNow(), ct);
            // A fresh clock: the winning node's key activates at its own creation time, which may be after ours.
            return Active(await LoadAsync(true, ct), algorithm, clock.GetUtcNow()) ?? throw new InvalidOperationException($"No {algorithm} signing key");
        }
        finally { _createGate.Release(); }
    }

    /// <summary>Every key relying parties may need: published ahead of signing, kept until its last token expired.</summary>
    public async Task<IReadOnlyList<LoadedKey>> GetPublishedKeysAsync(CancellationToken ct = default)
    {
        await GetSigningKeyAsync(OidcConstants.ES256, ct);
        var now = clock.GetUtcNow();
        return (await LoadAsync(false, ct)).Where(k => k.Row.ExpiresAt > now).ToList();
    }

    /// <summary>For each algorithm in use: when the signing key retires within the publish-ahead window, create its successor.</summary>
    public async Task RotateAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var ahead = TimeSpan.FromHours(options.Value.KeyPublishAheadHours);
        foreach (var group in (await LoadAsync(true, ct)).GroupBy(k => k.Row.Algorithm))
        {
            var newest = group.MaxBy(k => k.Row.Generation)!.Row;
            if (newest.RetiresAt - now <= ahead)
                await CreateAsync(group.Key, newest.Generation + 1, newest.RetiresAt > now ? newest.RetiresAt : now, ct);
        }
        await LoadAsync(true, ct);
    }

    private static LoadedKey? Active(IEnumerable<LoadedKey> keys, string algorithm, DateTimeOffset now) => keys
        .Where(k => k.Row.Algorithm == algorithm && k.Row.ActivatesAt <= now && k.Row.RetiresAt > now)
        .MaxBy(k => k.Row.Generation);

    private async Task CreateAsync(string algorithm, int? generation, DateTimeOffset activatesAt, CancellationToken ct)
    {
        var o = options.Value;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdpDbContext>();
        if (generation is null)
        {
            // The first key, or the keys all lapsed while the server was off. One read gives both facts, so either we
            // see another node's new key (and stop) or we pick the same generation it did (and the unique index decides).
            var existing = await db.Set<SigningKey>().AsNoTracking().Where(k => k.Algorithm == algorithm).ToListAsync(ct);
            if (existing.Any(k => k.ActivatesAt <= activatesAt.AddMinutes(1) && k.RetiresAt > activatesAt)) return; // a minute for clock skew
            generation = existing.Select(k => k.Generation).DefaultIfEmpty(0).Max() + 1;
        }
        var retiresAt = activatesAt.AddDays(o.KeyRotationDays);
        var longestToken = TimeSpan.FromSeconds(Math.Max(o.AccessTokenLifetimeSeconds, o.IdTokenLifetimeSeconds));
        var row = new SigningKey
        {
            Id = OpaqueToken.New()[..16], Algorithm = algorithm, Generation = generation.Value,
            ProtectedPrivateKey = factory.NewProtectedPrivateKey(algorithm), CreatedAt = clock.GetUtcNow(),
            ActivatesAt = activatesAt, RetiresAt = retiresAt, ExpiresAt = retiresAt + longestToken + TimeSpan.FromMinutes(5),
        };
        db.Set<SigningKey>().Add(row);
        try
        {
            await db.SaveChangesAsync(ct);
            log.LogInformation("Created {Algorithm} signing key {Kid} (generation {Generation}), signs from {ActivatesAt:o}", algorithm, row.Id, generation, activatesAt);
        }
        catch (DbUpdateException)
        {
            // Another node created this generation first; the reload picks up its key.
        }
    }

    private async Task<IReadOnlyList<LoadedKey>> LoadAsync(bool force, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (!force && _cache is { } c && now - c.LoadedAt < CacheFor) return c.Keys;
        await _gate.WaitAsync(ct);
        try
        {
            if (!force && _cache is { } again && now - again.LoadedAt < CacheFor) return again.Keys;
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<IdpDbContext>();
            var rows = await db.Set<SigningKey>().AsNoTracking().Where(k => k.ExpiresAt > now).ToListAsync(ct);
            var keys = rows.Select(factory.Load).ToList();
            _cache = (now, keys);
            return keys;
        }
        finally { _gate.Release(); }
    }
}
