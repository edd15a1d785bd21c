using WaIdentity.Admin;
using WaIdentity.Admin.Clients;
using WaIdentity.IdP.Gateway;
using WaIdentity.IdP.Oidc;
using WaIdentity.IdP.Oidc.Clients;
using WaIdentity.IdP.Oidc.Tokens;

namespace WaIdentity.IdP.AdminPorts;

/// <summary>The portal's clients over <see cref="ClientRegistry"/> (which forgets cached copies on every change) and
/// <see cref="ClientDefinition.Validate"/>, the same rules as configuration and the CLI.</summary>
internal sealed class ClientAdmin(ClientRegistry registry, IssuerResolver issuers, CallbackUrlPolicy addresses) : IClientAdmin
{
    private const string Key = "client";

    public IReadOnlyList<string> GrantTypes => OidcConstants.GrantTypes;
    public IReadOnlyList<string> SigningAlgorithms => [OidcConstants.ES256, OidcConstants.RS256];

    public async Task<IReadOnlyList<ClientView>> ListAsync(CancellationToken ct = default) =>
        (await registry.ListAsync(ct)).Select(View).ToList();

    public async Task<ClientView?> FindAsync(string clientId, CancellationToken ct = default) =>
        (await registry.ListAsync(ct)).Where(c => c.ClientId == clientId).Select(View).FirstOrDefault();

    public async Task<ClientChange> CreateAsync(ClientForm form, CancellationToken ct = default)
    {
        var definition = Definition(form, form.Public ? null : OpaqueToken.New());
        var problems = Problems(definition);
        problems.AddRange(await AddressProblemsAsync(definition, ct));
        if (await registry.ExistsAsync(form.ClientId, ct)) problems.Add(new(nameof(ClientForm.ClientId), $"'{form.ClientId}' is already taken"));
        if (problems.Count > 0) return new(problems, null);
        var (_, secret) = await registry.CreateAsync(definition, ct);
        return new([], secret);
    }

    public async Task<ClientChange> UpdateAsync(ClientForm form, CancellationToken ct = default)
    {
        var current = await FindAsync(form.ClientId, ct);
        if (current is null) return new([new(nameof(ClientForm.ClientId), $"no client '{form.ClientId}'")], null);
        var stored = (await registry.ListAsync(ct)).First(c => c.ClientId == form.ClientId);
        var secret = !form.Public && current.Settings.Public ? OpaqueToken.New() : null;
        // An unchanged secret is not known here (only its hash is): check the rest with a stand-in of a valid length.
        var standIn = form.Public || stored.UsesPrivateKeyJwt ? null : secret ?? new string('x', 43);
        var problems = Problems(KeepUnlisted(Definition(form, standIn), stored));
        problems.AddRange(await AddressProblemsAsync(Definition(form, standIn), ct));
        if (problems.Count > 0) return new(problems, null);
        await registry.UpdateAsync(KeepUnlisted(Definition(form, secret), stored), ct);
        return new([], secret);
    }

    public Task<bool> SetDisabledAsync(string clientId, bool disabled, CancellationToken ct = default) =>
        registry.SetDisabledAsync(clientId, disabled, ct);

    public Task<bool> DeleteAsync(string clientId, CancellationToken ct = default) => registry.DeleteAsync(clientId, ct);

    public ProviderEndpoints Endpoints(HttpContext http)
    {
        var issuer = issuers.Resolve(http);
        return new(issuer, issuer + OidcConstants.DiscoveryPath, issuer + OidcConstants.AuthorizePath, issuer + OidcConstants.TokenPath,
            issuer + OidcConstants.UserInfoPath, issuer + OidcConstants.EndSessionPath, issuer + OidcConstants.JwksPath);
    }

    public async Task<string?> RotateSecretAsync(string clientId, CancellationToken ct = default)
    {
        var current = await FindAsync(clientId, ct);
        if (current is null || current.Settings.Public) return null;
        // Only the hash changes: rebuilding the client from the form would reset what the form does not carry.
        var secret = OpaqueToken.New();
        return await registry.SetSecretAsync(clientId, secret, ct) ? secret : null;
    }

    private static ClientDefinition Definition(ClientForm f, string? secret) => new()
    {
        ClientId = f.ClientId.Trim(), DisplayName = string.IsNullOrWhiteSpace(f.DisplayName) ? null : f.DisplayName.Trim(),
        Public = f.Public, Secret = secret, RedirectUris = [.. f.RedirectUris], PostLogoutRedirectUris = [.. f.PostLogoutRedirectUris],
        GrantTypes = [.. f.GrantTypes], Scopes = [.. f.Scopes], FirstParty = f.FirstParty, SigningAlgorithm = f.SigningAlgorithm,
        AccessTokenLifetimeSeconds = f.AccessTokenLifetimeSeconds, IdTokenLifetimeSeconds = f.IdTokenLifetimeSeconds,
        RequireSecondFactor = f.RequireSecondFactor, DpopBoundAccessTokens = f.DpopBoundAccessTokens,
        BackchannelLogoutUri = f.BackchannelLogoutUri, BackchannelLogoutSessionRequired = f.BackchannelLogoutSessionRequired,
    };

    /// <summary>Settings the portal form does not carry (PAR requirement, private_key_jwt keys; CLI and configuration
    /// manage them) stay as they are; keys are dropped only when the client becomes public.</summary>
    private static ClientDefinition KeepUnlisted(ClientDefinition d, OidcClient stored)
    {
        d.RequirePushedAuthorizationRequests = stored.RequirePushedAuthorizationRequests;
        if (!d.Public) (d.Jwks, d.JwksUri) = (stored.Jwks, stored.JwksUri);
        return d;
    }

    /// <summary>The back-channel logout URI is POSTed to like an app webhook: the same address rules (no loopback or
    /// private address, and so no http, unless Development allows them). Delivery checks the address again.</summary>
    private async Task<List<FieldProblem>> AddressProblemsAsync(ClientDefinition d, CancellationToken ct)
    {
        if (d.BackchannelLogoutUri is not { } uri || BackchannelLogoutUriRules.Check("x", uri).Any()) return [];
        var shape = CallbackUrlPolicy.CheckShape(Key, uri, addresses.AllowPrivateAddresses).FirstOrDefault()
            ?? await addresses.CheckHostAsync(Key, new Uri(uri).IdnHost, ct);
        return shape is null ? [] : [new(nameof(ClientForm.BackchannelLogoutUri), shape.Reason)];
    }

    /// <summary>The registry's rules speak in configuration keys ("client:RedirectUris:0: ..."); the portal's field is the
    /// key's first part. URI problems are numbered per list; the message names the URI, the field is enough.</summary>
    private static List<FieldProblem> Problems(ClientDefinition definition) =>
        definition.Validate(Key).Select(p => p[(Key.Length + 1)..]).Select(p =>
        {
            var field = p[..p.IndexOf(':')];
            var rest = p[(field.Length + 1)..];
            if (int.TryParse(rest.Split(':')[0], out _)) rest = rest[(rest.IndexOf(':') + 1)..];
            return new FieldProblem(field, rest.Trim());
        }).ToList();

    private static ClientView View(OidcClient c) => new(
        new ClientForm(c.ClientId, c.DisplayName, c.IsPublic, c.RedirectUriList, c.PostLogoutRedirectUriList, c.GrantTypeList,
            c.ScopeList, c.FirstParty, c.SigningAlgorithm, c.AccessTokenLifetimeSeconds, c.IdTokenLifetimeSeconds, c.RequireSecondFactor,
            c.DpopBoundAccessTokens, c.BackchannelLogoutUri, c.BackchannelLogoutSessionRequired),
        c.Disabled, c.CreatedAt);
}
