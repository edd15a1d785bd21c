using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WaIdentity.IdP.Oidc.Authorize;
using WaIdentity.IdP.Oidc.Tokens;
using WaIdentity.IdP.Persistence;

namespace WaIdentity.IdP.Oidc.Par;

/// <summary>
/// Keeps pushed requests for <see cref="Lifetime"/> and gives each back once, to the client that pushed it. The
/// request_uri is 256 random bits; only its hash is stored. Taking is an atomic delete, so two concurrent uses cannot
/// both get the request.
/// </summary>
internal sealed class PushedAuthorizationStore(IdpDbContext db, TimeProvider clock)
{
    public const string UriPrefix = "urn:ietf:params:oauth:request_uri:";
    /// <summary>Long enough to send the browser to the authorize endpoint; RFC 9126 7.2 asks for short-lived.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);

    public async Task<string> SaveAsync(string clientId, IReadOnlyDictionary<string, string> parameters, CancellationToken ct)
    {
        var requestUri = UriPrefix + OpaqueToken.New();
        db.Set<PushedAuthorization>().Add(new PushedAuthorization
        {
            Id = OpaqueToken.Hash(requestUri), ClientId = clientId, Parameters = JsonSerializer.Serialize(parameters),
            ExpiresAt = clock.GetUtcNow() + Lifetime,
        });
        await db.SaveChangesAsync(ct);
        return requestUri;
    }

    /// <summary>
    /// The request pushed as <paramref name="requestUri"/> by <paramref name="clientId"/>, removed so it cannot be used
    /// again; null when unknown, used, expired or pushed by another client (which does not spend it).
    /// </summary>
    public async Task<AuthorizeRequest?> TakeAsync(string requestUri, string clientId, CancellationToken ct)
    {
        if (!requestUri.StartsWith(UriPrefix, StringComparison.Ordinal)) return null;
        var id = OpaqueToken.Hash(requestUri);
        var row = await db.Set<PushedAuthorization>().AsNoTracking().FirstOrDefaultAsync(p => p.Id == id && p.ClientId == clientId, ct);
        if (row is null || row.ExpiresAt <= clock.GetUtcNow()) return null;
        if (await db.Set<PushedAuthorization>().Where(p => p.Id == id).ExecuteDeleteAsync(ct) == 0) return null;
        return new AuthorizeRequest(JsonSerializer.Deserialize<Dictionary<string, string>>(row.Parameters) ?? []);
    }
}
