using System.CommandLine;
using System.Text.Json;

namespace WaIdentity.IdP.Gateway;

/// <summary><c>gateway keys create|list|revoke</c>: a client's long-lived API keys (the key is printed once). JSON on stdout.</summary>
internal static class ApiKeyCommands
{
    public static Command Create(Func<IServiceProvider> services, Cli.CliConsole console)
    {
        var client = new Option<string>("--client") { Description = "The client_id.", Required = true };
        var name = new Option<string>("--name") { Description = "What the key is for, e.g. \"shop server\".", Required = true };
        var scope = new Option<string[]>("--scope") { Description = "A wa.* scope of the client (repeat).", AllowMultipleArgumentsPerToken = true, Required = true };
        var create = new Command("create", "Make an API key; prints it once.") { client, name, scope };
        create.SetAction((r, ct) => GatewayCommands.RunAsync(services(), async sp =>
        {
            var (key, problems) = await sp.GetRequiredService<GatewayApiKeys>().CreateAsync(r.GetValue(client)!, r.GetValue(name)!, r.GetValue(scope) ?? [], ct);
            foreach (var p in problems) console.Error.WriteLine($"gateway keys: {p}");
            if (key is null) return 1;
            console.Out.WriteLine(JsonSerializer.Serialize(new { id = key.Record.Id, client_id = key.Record.ClientId, name = key.Record.Name, scopes = key.Record.ScopeList, api_key = key.Key }));
            return 0;
        }));

        var listClient = new Option<string>("--client") { Description = "The client_id.", Required = true };
        var list = new Command("list", "A client's keys (never the keys themselves).") { listClient };
        list.SetAction((r, ct) => GatewayCommands.RunAsync(services(), async sp =>
        {
            var rows = await sp.GetRequiredService<GatewayApiKeys>().ListAsync(r.GetValue(listClient)!, ct);
            console.Out.WriteLine(JsonSerializer.Serialize(rows.Select(k => new
            {
                id = k.Id, name = k.Name, prefix = k.Prefix, scopes = k.ScopeList, created_at = k.CreatedAt, last_used_at = k.LastUsedAt, revoked_at = k.RevokedAt,
            })));
            return 0;
        }));

        var revokeClient = new Option<string>("--client") { Description = "The client_id.", Required = true };
        var id = new Argument<string>("id") { Description = "The key's id (from gateway keys list)." };
        var revoke = new Command("revoke", "Revoke a key: it stops working at once.") { revokeClient, id };
        revoke.SetAction((r, ct) => GatewayCommands.RunAsync(services(), async sp =>
        {
            if (!await sp.GetRequiredService<GatewayApiKeys>().RevokeAsync(r.GetValue(revokeClient)!, r.GetValue(id)!, ct))
            {
                console.Error.WriteLine($"gateway keys: no live key '{r.GetValue(id)}' of client '{r.GetValue(revokeClient)}'");
                return 1;
            }
            console.Out.WriteLine(JsonSerializer.Serialize(new { id = r.GetValue(id), revoked = true }));
            return 0;
        }));
        return new Command("keys", "A client's API keys: create, list, revoke.") { create, list, revoke };
    }
}
