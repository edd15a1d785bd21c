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
    bool RequireSecondFactor = false);

/// <summary>A client as the portal shows it (no secret, no hash).</summary>
public sealed record ClientView(ClientForm Settings, bool Disabled, DateTimeOffset CreatedAt);

/// <param name="Problems">"Field: problem" lines; Field is a <see cref="ClientForm"/> property name.</param>
/// <param name="Secret">A newly generated secret, to show once.</param>
public sealed record ClientChange(IReadOnlyList<string> Problems, string? Secret)
{
    public bool Saved => Problems.Count == 0;
}
