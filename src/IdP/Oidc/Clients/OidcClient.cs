using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WaIdentity.IdP.Oidc.Clients;

/// <summary>
/// A relying party. Lists (redirect URIs, grants, scopes) are space separated: none of their values may contain a
/// space, and one column keeps the schema provider-neutral. A client with neither a <see cref="SecretHash"/> nor keys
/// (<see cref="Jwks"/>, <see cref="JwksUri"/>) is a public client; a client with keys authenticates with private_key_jwt.
/// </summary>
internal sealed class OidcClient
{
    public string ClientId { get; set; } = "";
    public string DisplayName { get; set; } = "";
    /// <summary>Base64 SHA-256 of the secret: secrets are 256-bit random, so a fast hash is enough (issue 3).</summary>
    public string? SecretHash { get; set; }
    public string RedirectUris { get; set; } = "";
    public string PostLogoutRedirectUris { get; set; } = "";
    public string GrantTypes { get; set; } = "";
    public string Scopes { get; set; } = "";
    /// <summary>First-party clients skip the consent page.</summary>
    public bool FirstParty { get; set; }
    /// <summary>Every login for this client needs a second factor (acr loa:2); an existing loa:1 session is stepped up.</summary>
    public bool RequireSecondFactor { get; set; }
    /// <summary>ES256 (default) or RS256: the algorithm of this client's ID tokens.</summary>
    public string SigningAlgorithm { get; set; } = "ES256";
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>This client's access/ID token lifetimes; null: the global Oidc:*LifetimeSeconds. Never longer than
    /// those (signing keys are kept for the global longest lifetime), see <see cref="OidcClient.Lifetime"/>.</summary>
    public int? AccessTokenLifetimeSeconds { get; set; }
    public int? IdTokenLifetimeSeconds { get; set; }
    /// <summary>Switched off in the admin portal: the registry no longer finds it, so no endpoint accepts it.</summary>
    public bool Disabled { get; set; }

    /// <summary>Authorization requests must be pushed first (RFC 9126 require_pushed_authorization_requests).</summary>
    public bool RequirePushedAuthorizationRequests { get; set; }
    /// <summary>The client's public keys as a JWKS document, for private_key_jwt (RFC 7523).</summary>
    public string? Jwks { get; set; }
    /// <summary>Where the client publishes its JWKS, for private_key_jwt; fetched and cached by ClientKeySource.</summary>
    public string? JwksUri { get; set; }
    /// <summary>Every token request must carry a DPoP proof, so every access token is DPoP-bound (RFC 9449 5.2 dpop_bound_access_tokens).</summary>
    public bool DpopBoundAccessTokens { get; set; }
    /// <summary>Where a signed logout token is POSTed when a session this client signed in through ends (OIDC
    /// Back-Channel Logout 1.0 backchannel_logout_uri); null: the client is not told.</summary>
    public string? BackchannelLogoutUri { get; set; }
    /// <summary>The client needs <c>sid</c> in logout tokens (backchannel_logout_session_required). Logout tokens always
    /// carry it, so this only records what the client declared.</summary>
    public bool BackchannelLogoutSessionRequired { get; set; }

    public bool UsesPrivateKeyJwt => Jwks is not null || JwksUri is not null;
    public bool IsPublic => SecretHash is null && !UsesPrivateKeyJwt;

    /// <summary>The client's own lifetime when set, capped at the global one.</summary>
    public static int Lifetime(int? own, int global) => own is { } seconds ? Math.Min(seconds, global) : global;

    public IReadOnlyList<string> RedirectUriList => Split(RedirectUris);
    public IReadOnlyList<string> PostLogoutRedirectUriList => Split(PostLogoutRedirectUris);
    public IReadOnlyList<string> GrantTypeList => Split(GrantTypes);
    public IReadOnlyList<string> ScopeList => Split(Scopes);

    public static string Join(IEnumerable<string> values) => string.Join(' ', values.Where(v => v.Length > 0).Distinct());

    private static string[] Split(string value) => value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}

internal sealed class OidcClientConfiguration : IEntityTypeConfiguration<OidcClient>
{
    public void Configure(EntityTypeBuilder<OidcClient> e)
    {
        e.ToTable("OidcClients");
        e.HasKey(c => c.ClientId);
        e.Property(c => c.ClientId).HasMaxLength(100);
        e.Property(c => c.DisplayName).HasMaxLength(200);
        e.Property(c => c.SecretHash).HasMaxLength(64);
        e.Property(c => c.SigningAlgorithm).HasMaxLength(10);
        e.Property(c => c.JwksUri).HasMaxLength(2000);
        e.Property(c => c.BackchannelLogoutUri).HasMaxLength(2000);
        e.Ignore(c => c.IsPublic);
        e.Ignore(c => c.UsesPrivateKeyJwt);
        e.Ignore(c => c.RedirectUriList);
        e.Ignore(c => c.PostLogoutRedirectUriList);
        e.Ignore(c => c.GrantTypeList);
        e.Ignore(c => c.ScopeList);
    }
}
