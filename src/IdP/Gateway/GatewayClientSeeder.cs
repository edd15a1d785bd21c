using Microsoft.Extensions.Options;

namespace WaIdentity.IdP.Gateway;

/// <summary>
/// At start, applies Gateway:Clients (after the OIDC clients are seeded): configuration is the source of truth for the
/// settings it declares. A refused URL stops the start with the key and the reason.
/// </summary>
internal sealed class GatewayClientSeeder(IServiceScopeFactory scopes, IOptions<GatewayOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var settings = scope.ServiceProvider.GetRequiredService<GatewayClientSettings>();
        foreach (var (c, i) in options.Value.Clients.Select((c, i) => (c, i)))
        {
            var (_, problems) = await settings.ConfigureAsync(c.ClientId, c.CallbackOrigins, c.WebhookUrl ?? "", newSecret: false, ct, c.WebhookSecret);
            if (problems.Count > 0)
                throw new OptionsValidationException(GatewayOptions.Section, typeof(GatewayOptions), problems.Select(p => $"{GatewayOptions.Section}:Clients:{i}: {p}"));
        }
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
