using Microsoft.EntityFrameworkCore;
using WaIdentity.IdP.Oidc.Tokens;
using WaIdentity.IdP.Persistence;

namespace WaIdentity.IdP.Oidc.Clients;

/// <summary>Creates, reads, updates and deletes clients. Used by the endpoints, the CLI and configuration seeding.</summary>
internal sealed class ClientRegistry(IdpDbContext db, ClientCache cache, TimeProvider clock)
{
    /// <summary>The client, through <see cref="ClientCache"/>. The result is shared between requests: do not modify it.
    /// A disabled client is not found, so every endpoint refuses it as unknown.</summary>
    public Task<OidcClient?> FindAsync(string clientId, CancellationToken ct = default) =>
        cache.GetOrLoadAsync(clientId, () => db.Set<OidcClient>().AsNoTracking().FirstOrDefaultAsync(c => c.ClientId == clientId && !c.Disabled, ct));

    /// <summary>Whether the id is taken, disabled clients included.</summary>
    public Task<bool> ExistsAsync(string clientId, CancellationToken ct = default) =>
        db.Set<OidcClient>().AnyAsync(c => c.ClientId == clientId, ct);

    /// <summary>Disables or enables the client; false when there is no such client.</summary>
    public async Task<bool> SetDisabledAsync(string clientId, bool disabled, CancellationToken ct = default)
    {
        var changed = await db.Set<OidcClient>().Where(c => c.ClientId == clientId).ExecuteUpdateAsync(u => u.SetProperty(c => c.Disabled, disabled), ct) > 0;
        cache.Forget(clientId);
        return changed;
    }

    public Task<List<OidcClient>> ListAsync(CancellationToken ct = default) =>
        db.Set<OidcClient>().AsNoTracking().OrderBy(c => c.ClientId).ToListAsync(ct);

    /// <summary>Creates the client; returns the generated secret (shown once) for a confidential client without keys.</summary>
    public async Task<(OidcClient Client, string? Secret)> CreateAsync(ClientDefinition definition, CancellationToken ct = default)
    {
        var secret = definition.Public || definition.UsesPrivateKeyJwt ? null : definition.Secret ?? OpaqueToken.New();
        var client = new OidcClient { ClientId = definition.ClientId, CreatedAt = clock.GetUtcNow() };
        Apply(client, definition, secret);
        db.Set<OidcClient>().Add(client);
        await db.SaveChangesAsync(ct);
        cache.Forget(client.ClientId);
        return (client, secret);
    }

    /// <summary>Replaces the client's settings with <paramref name="definition"/>; a null secret keeps the current one.</summary>
    public async Task<OidcClient?> UpdateAsync(ClientDefinition definition, CancellationToken ct = default)
    {
        var client = await db.Set<OidcClient>().FirstOrDefaultAsync(c => c.ClientId == definition.ClientId, ct);
        if (client is null) return null;
        Apply(client, definition, definition.Secret);
        await db.SaveChangesAsync(ct);
        cache.Forget(client.ClientId);
        return client;
    }

    /// <summary>Replaces a confidential client's secret and nothing else; false when there is no such client.</summary>
    public async Task<bool> SetSecretAsync(string clientId, string secret, CancellationToken ct = default)
    {
        var hash = OpaqueToken.Hash(secret);
        var changed = await db.Set<OidcClient>().Where(c => c.ClientId == clientId && c.SecretHash != null)
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.SecretHash, hash), ct) > 0;
        cache.Forget(clientId);
        return changed;
    }

    public async Task<bool> DeleteAsync(string clientId, CancellationToken ct = default)
    {
        var deleted = await db.Set<OidcClient>().Where(c => c.ClientId == clientId).ExecuteDeleteAsync(ct) > 0;
        cache.Forget(clientId);
        return deleted;
    }

    /// <summary>Configuration is the source of truth for the clients it declares: create or overwrite them.</summary>
    public async Task UpsertAsync(ClientDefinition definition, CancellationToken ct = default)
    {
        if (await UpdateAsync(definition, ct) is null) await CreateAsync(definition, ct);
    }

    private static void Apply(OidcClient client, ClientDefinition d, string? secret)
    {
        client.DisplayName = d.DisplayName ?? d.ClientId;
        if (d.Public || d.UsesPrivateKeyJwt) client.SecretHash = null;
        else if (secret is not null) client.SecretHash = OpaqueToken.Hash(secret);
        client.RedirectUris = OidcClient.Join(d.RedirectUris);
        client.PostLogoutRedirectUris = OidcClient.Join(d.PostLogoutRedirectUris);
        client.GrantTypes = OidcClient.Join(d.GrantTypes);
        client.Scopes = OidcClient.Join(d.Scopes);
        client.FirstParty = d.FirstParty;
        client.RequireSecondFactor = d.RequireSecondFactor;
        client.SigningAlgorithm = d.SigningAlgorithm.ToUpperInvariant();
        client.AccessTokenLifetimeSeconds = d.AccessTokenLifetimeSeconds;
        client.IdTokenLifetimeSeconds = d.IdTokenLifetimeSeconds;
        client.RequirePushedAuthorizationRequests = d.RequirePushedAuthorizationRequests;
        client.Jwks = d.Jwks;
        client.JwksUri = d.JwksUri;
        client.DpopBoundAccessTokens = d.DpopBoundAccessTokens;
        client.BackchannelLogoutUri = string.IsNullOrWhiteSpace(d.BackchannelLogoutUri) ? null : d.BackchannelLogoutUri;
        client.BackchannelLogoutSessionRequired = d.BackchannelLogoutSessionRequired;
    }

    public static ClientDefinition ToDefinition(OidcClient c) => new()
    {
        ClientId = c.ClientId, DisplayName = c.DisplayName, Public = c.IsPublic,
        RedirectUris = [.. c.RedirectUriList], PostLogoutRedirectUris = [.. c.PostLogoutRedirectUriList],
        GrantTypes = [.. c.GrantTypeList], Scopes = [.. c.ScopeList], FirstParty = c.FirstParty, SigningAlgorithm = c.SigningAlgorithm,
        RequireSecondFactor = c.RequireSecondFactor,
        AccessTokenLifetimeSeconds = c.AccessTokenLifetimeSeconds, IdTokenLifetimeSeconds = c.IdTokenLifetimeSeconds,
        RequirePushedAuthorizationRequests = c.RequirePushedAuthorizationRequests, Jwks = c.Jwks, JwksUri = c.JwksUri,
        DpopBoundAccessTokens = c.DpopBoundAccessTokens,
        BackchannelLogoutUri = c.BackchannelLogoutUri, BackchannelLogoutSessionRequired = c.BackchannelLogoutSessionRequired,
    };
}
