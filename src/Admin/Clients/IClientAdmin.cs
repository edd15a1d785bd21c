namespace WaIdentity.Admin.Clients;

/// <summary>The OIDC clients the portal manages. A port over the host's client registry, which owns the rules
/// (redirect URIs absolute, no fragment, https except loopback; grants; algorithms).</summary>
public interface IClientAdmin
{
    IReadOnlyList<string> GrantTypes { get; }
    IReadOnlyList<string> SigningAlgorithms { get; }

    Task<IReadOnlyList<ClientView>> ListAsync(CancellationToken ct = default);

    Task<ClientView?> FindAsync(string clientId, CancellationToken ct = default);

    /// <summary>Creates the client; a confidential one gets a generated secret, returned here once and never again.</summary>
    Task<ClientChange> CreateAsync(ClientForm form, CancellationToken ct = default);

    /// <summary>Replaces the client's settings. A public client turned confidential gets a new secret (returned once).</summary>
    Task<ClientChange> UpdateAsync(ClientForm form, CancellationToken ct = default);

    Task<bool> SetDisabledAsync(string clientId, bool disabled, CancellationToken ct = default);

    /// <summary>Deletes the client (the CLI's <c>clients delete</c>): authorize, token and logout refuse it as unknown
    /// from then on. False when there is no such client.</summary>
    Task<bool> DeleteAsync(string clientId, CancellationToken ct = default);

    /// <summary>The issuer and endpoint URLs a relying party configures, as this request's discovery document names them.</summary>
    ProviderEndpoints Endpoints(Microsoft.AspNetCore.Http.HttpContext http);

    /// <summary>A new secret for a confidential client (the old one stops working at once); null for a public or unknown client.</summary>
    Task<string?> RotateSecretAsync(string clientId, CancellationToken ct = default);
}

public sealed record ClientForm(
    string ClientId,
    string? DisplayName,
    bool Public,
    IReadOnlyList<string> RedirectUris,
    IReadOnlyList<string> PostLogoutRedirectUris,
    IReadOnlyList<string> GrantTypes,
    IReadOnlyList<string> Scopes,
    bool FirstParty,
    string SigningAlgorithm,
    int? AccessTokenLifetimeSeconds = null,
    int? IdTokenLifetimeSeconds = null,
    bool RequireSecondFactor = false,
    bool DpopBoundAccessTokens = false,
    string? BackchannelLogoutUri = null,
    bool BackchannelLogoutSessionRequired = false);

/// <summary>What a relying party's developer copies into their OIDC library.</summary>
public sealed record ProviderEndpoints(
    string Issuer, string Discovery, string Authorization, string Token, string UserInfo, string EndSession, string Jwks);

/// <summary>A client as the portal shows it (no secret, no hash).</summary>
public sealed record ClientView(ClientForm Settings, bool Disabled, DateTimeOffset CreatedAt);

/// <param name="Problems">What the registry refused; each names a <see cref="ClientForm"/> property.</param>
/// <param name="Secret">A newly generated secret, to show once.</param>
public sealed record ClientChange(IReadOnlyList<FieldProblem> Problems, string? Secret)
{
    public bool Saved => Problems.Count == 0;
}
