using Microsoft.Extensions.Options;

namespace WaIdentity.IdP.Oidc.Clients;

/// <summary>
/// At start: upserts the clients declared in configuration. The demo client is <see cref="DemoClientSeeder"/>'s.
/// </summary>
internal sealed class ClientSeeder(IServiceScopeFactory scopes, IOptions<OidcOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var registry = scope.ServiceProvider.GetRequiredService<ClientRegistry>();
        foreach (var client in options.Value.Clients) await registry.UpsertAsync(client, ct);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
