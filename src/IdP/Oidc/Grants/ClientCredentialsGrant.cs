using WaIdentity.IdP.Oidc.Clients;
using WaIdentity.IdP.Oidc.Dpop;
using WaIdentity.IdP.Oidc.Tokens;

namespace WaIdentity.IdP.Oidc.Grants;

/// <summary>
/// grant_type=client_credentials (RFC 6749 4.4) for API scopes (e.g. the gateway API). Confidential clients only;
/// identity scopes make no sense without a user. Writes nothing to the database.
/// </summary>
internal sealed class ClientCredentialsGrant(TokenIssuer tokens)
{
    public async Task<IResult> HandleAsync(HttpContext http, IFormCollection form, OidcClient client, string issuer, DpopProof? dpop, CancellationToken ct)
    {
        if (client.IsPublic) throw TokenError.UnauthorizedClient("A public client cannot use client_credentials.");
        var apiScopes = client.ScopeList.Where(s => !OidcConstants.IdentityScopes.Contains(s)).ToList();
        var requested = form["scope"].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (requested.FirstOrDefault(s => !apiScopes.Contains(s)) is { } bad) throw TokenError.InvalidScope($"The client may not request the scope '{bad}'.");
        var scope = string.Join(' ', requested.Length > 0 ? requested.Distinct() : apiScopes);
        var access = await tokens.CreateAccessTokenAsync(issuer, client, client.ClientId, scope, null, dpop?.Jkt, ct);
        return TokenResponse.Write(http, access.Token, access.LifetimeSeconds, scope, null, null, dpop is not null);
    }
}
