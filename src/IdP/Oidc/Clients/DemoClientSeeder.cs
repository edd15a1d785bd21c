using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using WaIdentity.WaChannel.Configuration;

namespace WaIdentity.IdP.Oidc.Clients;

/// <summary>
/// Development sandbox only: seeds the public <c>demo</c> client used by the built-in /demo relying party, and once
/// the server listens adds this run's addresses (<c>…/demo/callback</c> and <c>…/demo</c>) to its redirect lists, so
/// "Try a login" works on whatever <c>--urls</c> says. Only the demo client is touched, and only with exact URIs of
/// this server: real clients keep exact matching against what their operator registered. URIs already on the
/// demo client are kept, so a developer's edits survive.
/// </summary>
internal sealed class DemoClientSeeder(IServiceScopeFactory scopes, IServer server, ChannelRuntime channel) : IHostedLifecycleService
{
    public const string ClientId = "demo";
    public const string CallbackPath = "/demo/callback";
    public const string HomePath = "/demo";

    /// <summary>After the server started: only then are the actual addresses (and a port 0's real port) known.</summary>
    public async Task StartedAsync(CancellationToken ct)
    {
        if (!channel.IsSandbox) return; // the sandbox exists only in Development: so does the demo
        var origins = Origins(server.Features.Get<IServerAddressesFeature>()?.Addresses ?? []).ToList();
        await using var scope = scopes.CreateAsyncScope();
        var registry = scope.ServiceProvider.GetRequiredService<ClientRegistry>();
        if (!await registry.ExistsAsync(ClientId, ct)) await registry.CreateAsync(DemoClient(origins), ct);
        else if (await registry.FindAsync(ClientId, ct) is { } existing)
        {
            var demo = ClientRegistry.ToDefinition(existing);
            var before = (demo.RedirectUris.Count, demo.PostLogoutRedirectUris.Count);
            demo.RedirectUris = [.. demo.RedirectUris.Union(origins.Select(o => o + CallbackPath))];
            demo.PostLogoutRedirectUris = [.. demo.PostLogoutRedirectUris.Union(origins.Select(o => o + HomePath))];
            if (before != (demo.RedirectUris.Count, demo.PostLogoutRedirectUris.Count)) await registry.UpdateAsync(demo, ct);
        }
    }

    public static ClientDefinition DemoClient(IReadOnlyCollection<string> origins) => new()
    {
        ClientId = ClientId, DisplayName = "Demo app (development only)", Public = true, FirstParty = true,
        RedirectUris = [.. origins.Select(o => o + CallbackPath)],
        PostLogoutRedirectUris = [.. origins.Select(o => o + HomePath)],
        GrantTypes = [OidcConstants.GrantAuthorizationCode, OidcConstants.GrantRefreshToken],
        Scopes = ["openid", "profile", "email", "phone", "offline_access"],
    };

    /// <summary>
    /// The origins a browser on this machine uses for the listening addresses: a wildcard or loopback host is reached
    /// as localhost, 127.0.0.1 or [::1]; a named host or address as itself.
    /// </summary>
    public static IEnumerable<string> Origins(IEnumerable<string> addresses)
    {
        foreach (var address in addresses)
        {
            var normalized = address.Replace("://+", "://0.0.0.0").Replace("://*", "://0.0.0.0");
            if (!Uri.TryCreate(normalized, UriKind.Absolute, out var uri)) continue;
            var hosts = uri.IsLoopback || uri.Host is "0.0.0.0" or "[::]" ? new[] { "localhost", "127.0.0.1", "[::1]" } : [uri.Host];
            foreach (var host in hosts) yield return uri.IsDefaultPort ? $"{uri.Scheme}://{host}" : $"{uri.Scheme}://{host}:{uri.Port}";
        }
    }

    public Task StartingAsync(CancellationToken ct) => Task.CompletedTask;
    public Task StartAsync(CancellationToken ct) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken ct) => Task.CompletedTask;
    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken ct) => Task.CompletedTask;
}
