using System.Text.Json;
using WaIdentity.IdP.Oidc.Keys;

namespace WaIdentity.IdP.Oidc.Discovery;

/// <summary>
/// GET /.well-known/jwks.json (RFC 7517): the public halves of every published key (next, current and retired ones
/// whose tokens may still be alive). Keys come from SigningKeyStore's one-minute cache; clients may cache 10 minutes,
/// well inside the publish-ahead window, so a new key is always seen before it signs.
/// </summary>
internal sealed class JwksEndpoint(SigningKeyStore keys)
{
    public async Task<IResult> HandleAsync(HttpContext http)
    {
        var published = await keys.GetPublishedKeysAsync(http.RequestAborted);
        http.Response.Headers.CacheControl = "public, max-age=600";
        var json = JsonSerializer.Serialize(new { keys = published.OrderBy(k => k.Row.ActivatesAt).Select(k => k.PublicJwk) });
        return Results.Text(json, "application/jwk-set+json");
    }
}
