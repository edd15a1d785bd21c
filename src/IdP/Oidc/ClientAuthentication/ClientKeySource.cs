using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using WaIdentity.IdP.Oidc.Clients;

namespace WaIdentity.IdP.Oidc.ClientAuthentication;

/// <summary>
/// The public keys a private_key_jwt client signs its assertions with: its registered JWKS, or the JWKS at its
/// jwks_uri, kept in memory per node for <see cref="CacheFor"/>. A client that rotates its keys is fetched again when
/// an assertion fails to verify (at most every <see cref="MinRefetch"/>), so a new kid works at once.
/// </summary>
internal sealed class ClientKeySource(IHttpClientFactory http, TimeProvider clock, ILogger<ClientKeySource> log)
{
    public const string HttpClientName = "oidc-client-jwks";
    public static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan MinRefetch = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, (IList<SecurityKey> Keys, DateTimeOffset FetchedAt)> _fetched = new();

    /// <param name="refresh">The cached keys did not verify: fetch the jwks_uri again unless it was fetched just now.</param>
    public async Task<IList<SecurityKey>> GetAsync(OidcClient client, bool refresh, CancellationToken ct)
    {
        if (client.Jwks is not null) return new JsonWebKeySet(client.Jwks).GetSigningKeys();
        var uri = client.JwksUri!;
        var now = clock.GetUtcNow();
        var known = _fetched.TryGetValue(uri, out var entry);
        if (known && now - entry.FetchedAt < (refresh ? MinRefetch : CacheFor)) return entry.Keys;
        try
        {
            using var httpClient = http.CreateClient(HttpClientName);
            var keys = new JsonWebKeySet(await httpClient.GetStringAsync(uri, ct)).GetSigningKeys();
            _fetched[uri] = (keys, now);
            return keys;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or ArgumentException or JsonException)
        {
            log.LogWarning("Could not fetch the JWKS of client {ClientId} from its jwks_uri: {Error}", client.ClientId, e.Message);
            return known ? entry.Keys : [];
        }
    }
}
