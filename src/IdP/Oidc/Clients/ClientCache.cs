using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace WaIdentity.IdP.Oidc.Clients;

/// <summary>
/// Clients read from the database, kept in memory for <see cref="OidcOptions.ClientCacheSeconds"/>: every token,
/// authorize and introspection request looks its client up, and clients change rarely. A change made through
/// <see cref="ClientRegistry"/> on this node is seen at once; one made on another node (or by the CLI) within the
/// cache time. Only clients that exist are cached, so unknown client_ids cannot fill memory.
/// </summary>
internal sealed class ClientCache(TimeProvider clock, IOptions<OidcOptions> options)
{
    private readonly ConcurrentDictionary<string, (OidcClient Client, DateTimeOffset LoadedAt)> _clients = new(StringComparer.Ordinal);

    public async Task<OidcClient?> GetOrLoadAsync(string clientId, Func<Task<OidcClient?>> load)
    {
        var lifetime = TimeSpan.FromSeconds(options.Value.ClientCacheSeconds);
        var now = clock.GetUtcNow();
        if (_clients.TryGetValue(clientId, out var hit) && now - hit.LoadedAt < lifetime) return hit.Client;
        var client = await load();
        if (client is null) _clients.TryRemove(clientId, out _);
        else if (lifetime > TimeSpan.Zero) _clients[clientId] = (client, now);
        return client;
    }

    public void Forget(string clientId) => _clients.TryRemove(clientId, out _);
}
