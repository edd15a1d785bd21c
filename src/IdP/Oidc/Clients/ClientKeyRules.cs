using Microsoft.IdentityModel.Tokens;

namespace WaIdentity.IdP.Oidc.Clients;

/// <summary>
/// Registration rules for private_key_jwt clients: an inline JWKS or a jwks_uri, not both; public keys only (a
/// private key pasted by mistake is refused, not stored); a jwks_uri is https except on loopback; no secret besides.
/// </summary>
internal static class ClientKeyRules
{
    public static IEnumerable<string> Check(string key, ClientDefinition d)
    {
        if (!d.UsesPrivateKeyJwt) yield break;
        if (d.Jwks is not null && d.JwksUri is not null) yield return $"{key}:JwksUri: give Jwks or JwksUri, not both";
        if (d.Public) yield return $"{key}:Jwks: a public client has no keys (private_key_jwt is for confidential clients)";
        if (d.Secret is not null) yield return $"{key}:Secret: a client with keys (private_key_jwt) has no secret";
        if (d.Jwks is not null && JwksProblem(d.Jwks) is { } problem) yield return $"{key}:Jwks: {problem}";
        if (d.JwksUri is not null)
            foreach (var p in RedirectUriRules.Check($"{key}:JwksUri", d.JwksUri)) yield return p;
    }

    private static string? JwksProblem(string json)
    {
        JsonWebKeySet set;
        try { set = new JsonWebKeySet(json); }
        catch (Exception e) when (e is ArgumentException or System.Text.Json.JsonException) { return "not a JWKS document ({\"keys\": [...]})"; }
        if (set.Keys.Count == 0) return "the JWKS has no keys";
        if (set.Keys.Any(k => k.HasPrivateKey || k.K is not null)) return "only public keys belong here (remove the private parts: d, p, q, dp, dq, qi, k)";
        if (set.Keys.Any(k => k.Kty is not ("RSA" or "EC"))) return "keys must be RSA or EC";
        return null;
    }
}
