using Microsoft.Extensions.Options;

namespace WaIdentity.IdP.Oidc.Clients;

/// <summary>
/// At start: upserts the clients declared in configuration, and in Development seeds the public <c>demo</c> client
/// used by the built-in /demo relying party (only when it does not exist, so a developer's edits survive).
/// </summary>
public sealed class ClientSeeder(IServiceScopeFactory scopes, IOptions<OidcOptions> options, IHostEnvironment environment) : IHostedService
{
    public const string DemoClientId = "demo";

    public async Task StartAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var registry = scope.ServiceProvider.GetRequiredService<ClientRegistry>();
        foreach (var client in options.Value.Clients) await registry.UpsertAsync(client, ct);
        if (environment.IsDevelopment() && !await registry.ExistsAsync(DemoClientId, ct))
            await registry.CreateAsync(DemoClient(), ct);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

    public static ClientDefinition DemoClient() => new()
    {
        ClientId = DemoClientId, DisplayName = "Demo app (development only)", Public = true, FirstParty = true,
        RedirectUris = ["http://localhost:5000/demo/callback"],
        PostLogoutRedirectUris = ["http://localhost:5000/demo"],
        GrantTypes = [OidcConstants.GrantAuthorizationCode, OidcConstants.GrantRefreshToken],
        Scopes = ["openid", "profile", "email", "phone", "offline_access"],
    };
}
