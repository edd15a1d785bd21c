using WaIdentity.IdP.Configuration;

namespace WaIdentity.IdP.Oidc.Clients;

/// <summary>
/// A client as an operator declares it (configuration, CLI). <see cref="Secret"/> is only ever read from
/// configuration, where an operator supplies it (e.g. from an environment variable); the database keeps its hash.
/// </summary>
internal sealed class ClientDefinition
{
    public string ClientId { get; set; } = "";
    public string? DisplayName { get; set; }
    public bool Public { get; set; }
    public string? Secret { get; set; }
    public List<string> RedirectUris { get; set; } = [];
    public List<string> PostLogoutRedirectUris { get; set; } = [];
    /// <summary>Configuration binding appends to list defaults, so lists start empty.</summary>
    public List<string> GrantTypes { get; set; } = [];
    public List<string> Scopes { get; set; } = [];
    public bool FirstParty { get; set; }
    /// <summary>Every login for this client needs a second factor (acr loa:2).</summary>
    public bool RequireSecondFactor { get; set; }
    public string SigningAlgorithm { get; set; } = OidcConstants.ES256;
    /// <summary>Null: the global lifetime. Capped at the global lifetime when tokens are issued.</summary>
    public int? AccessTokenLifetimeSeconds { get; set; }
    public int? IdTokenLifetimeSeconds { get; set; }
    /// <summary>Authorization requests must come through the PAR endpoint (RFC 9126).</summary>
    public bool RequirePushedAuthorizationRequests { get; set; }
    /// <summary>private_key_jwt: the client's public keys (a JWKS JSON document); no secret then.</summary>
    public string? Jwks { get; set; }
    /// <summary>private_key_jwt: where the client publishes its JWKS; no secret then.</summary>
    public string? JwksUri { get; set; }
    /// <summary>Token requests must carry a DPoP proof (RFC 9449 5.2 dpop_bound_access_tokens).</summary>
    public bool DpopBoundAccessTokens { get; set; }
    /// <summary>OIDC Back-Channel Logout: where logout tokens go (https; http only for loopback).</summary>
    public string? BackchannelLogoutUri { get; set; }
    public bool BackchannelLogoutSessionRequired { get; set; }

    public bool UsesPrivateKeyJwt => Jwks is not null || JwksUri is not null;

    public IEnumerable<string> Validate(string key)
    {
        foreach (var p in OptionRules.Required($"{key}:ClientId", ClientId)) yield return p;
        if (ClientId.Any(char.IsWhiteSpace) || ClientId.Length > 100) yield return $"{key}:ClientId: at most 100 characters, no spaces (got '{ClientId}')";
        if (!Public && !UsesPrivateKeyJwt && (Secret is null || Secret.Length < 32))
            yield return $"{key}:Secret: a confidential client needs a secret of at least 32 characters (or set Public: true, or Jwks/JwksUri)";
        foreach (var p in ClientKeyRules.Check(key, this)) yield return p;
        if (Public && Secret is not null) yield return $"{key}:Secret: a public client has no secret";
        foreach (var p in OptionRules.OneOf($"{key}:SigningAlgorithm", SigningAlgorithm, OidcConstants.ES256, OidcConstants.RS256)) yield return p;
        if (GrantTypes.Count == 0) yield return $"{key}:GrantTypes: at least one of {string.Join(", ", OidcConstants.GrantTypes)}";
        foreach (var g in GrantTypes.Where(g => !OidcConstants.GrantTypes.Contains(g)))
            yield return $"{key}:GrantTypes: '{g}' is not supported (use {string.Join(", ", OidcConstants.GrantTypes)})";
        if (Public && GrantTypes.Contains(OidcConstants.GrantClientCredentials)) yield return $"{key}:GrantTypes: a public client cannot use client_credentials";
        foreach (var (uri, i) in RedirectUris.Select((u, i) => (u, i)))
            foreach (var p in RedirectUriRules.Check($"{key}:RedirectUris:{i}", uri)) yield return p;
        foreach (var (uri, i) in PostLogoutRedirectUris.Select((u, i) => (u, i)))
            foreach (var p in RedirectUriRules.Check($"{key}:PostLogoutRedirectUris:{i}", uri)) yield return p;
        if (BackchannelLogoutUri is not null)
            foreach (var p in BackchannelLogoutUriRules.Check($"{key}:BackchannelLogoutUri", BackchannelLogoutUri)) yield return p;
        if (GrantTypes.Contains(OidcConstants.GrantAuthorizationCode) && RedirectUris.Count == 0)
            yield return $"{key}:RedirectUris: the authorization_code grant needs at least one redirect URI";
        foreach (var s in Scopes.Where(s => s.Length == 0 || s.Any(char.IsWhiteSpace))) yield return $"{key}:Scopes: '{s}' is not a scope token";
        if (AccessTokenLifetimeSeconds is { } access)
            foreach (var p in OptionRules.InRange($"{key}:AccessTokenLifetimeSeconds", access, 30, 86_400)) yield return p;
        if (IdTokenLifetimeSeconds is { } id)
            foreach (var p in OptionRules.InRange($"{key}:IdTokenLifetimeSeconds", id, 30, 86_400)) yield return p;
    }
}

/// <summary>Registration rules for redirect URIs (RFC 9700 2.6): absolute, no fragment, https except loopback.</summary>
internal static class RedirectUriRules
{
    public static IEnumerable<string> Check(string key, string uri)
    {
        // On Unix "/cb" parses as an absolute file:// URI: a path is not an absolute redirect URI.
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var u) || uri.StartsWith('/') || u.Fragment.Length > 0 || uri.Contains(' '))
            yield return $"{key}: must be an absolute URI without a fragment (got '{uri}')";
        else if (u.Scheme == "http" && !u.IsLoopback && u.Host != "localhost")
            yield return $"{key}: http is only allowed for loopback addresses; use https (got '{uri}')";
    }
}

/// <summary>
/// OIDC Back-Channel Logout 1.0 2.2: an absolute URL without a fragment. The server POSTs to it like an app webhook, so
/// it is held to the same shape: https, or http only for loopback. Whether a loopback or private address may be
/// reached at all is decided when connecting (<c>CallbackUrlPolicy</c>: only in Development).
/// </summary>
internal static class BackchannelLogoutUriRules
{
    public static IEnumerable<string> Check(string key, string uri)
    {
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var u) || uri.StartsWith('/') || u.Scheme is not ("https" or "http") || u.Fragment.Length > 0
            || u.UserInfo.Length > 0 || uri.Contains(' ') || uri.Length > 2000)
            yield return $"{key}: must be an absolute https URL without user info or fragment (got '{uri}')";
        else if (u.Scheme == "http" && !u.IsLoopback && u.Host != "localhost")
            yield return $"{key}: must use https (http only for loopback addresses) (got '{uri}')";
    }
}
