using System.CommandLine;
using System.Text.Json;

namespace WaIdentity.IdP.Gateway;

/// <summary>
/// <c>gateway configure</c> (a client's callback origins, inbound webhook and webhook secret, printed once) and
/// <c>webhooks list|replay</c> (dead-lettered deliveries back into the queue). JSON on stdout.
/// </summary>
internal static class GatewayCommands
{
    public static IEnumerable<Command> Create(Func<IServiceProvider> services, Cli.CliConsole console)
    {
        var client = new Option<string>("--client") { Description = "The client_id (an existing OIDC client).", Required = true };
        var origin = new Option<string[]>("--callback-origin") { Description = "An origin callback_url may use, e.g. https://app.example (repeat).", AllowMultipleArgumentsPerToken = true };
        var webhook = new Option<string?>("--webhook-url") { Description = "Where inbound messages are forwarded (needs scope wa.inbound); \"\" removes it." };
        var newSecret = new Option<bool>("--new-webhook-secret") { Description = "Generate a new webhook secret and print it (once)." };
        var configure = new Command("configure", "Set a client's gateway settings; prints the webhook secret when one is generated.") { client, origin, webhook, newSecret };
        configure.SetAction((r, ct) => RunAsync(services(), async sp =>
        {
            var origins = r.GetValue(origin) is { Length: > 0 } o ? o : null;
            var (secret, problems) = await sp.GetRequiredService<GatewayClientSettings>().ConfigureAsync(r.GetValue(client)!, origins, r.GetValue(webhook), r.GetValue(newSecret), ct);
            foreach (var p in problems) console.Error.WriteLine($"gateway: {p}");
            if (problems.Count > 0) return 1;
            var row = (await sp.GetRequiredService<GatewayClientSettings>().FindAsync(r.GetValue(client)!, ct))!;
            var view = new Dictionary<string, object?> { ["client_id"] = row.ClientId, ["callback_origins"] = row.CallbackOriginList, ["webhook_url"] = row.WebhookUrl };
            if (secret is not null) view["webhook_secret"] = secret;
            console.Out.WriteLine(JsonSerializer.Serialize(view));
            return 0;
        }));

        var quotaClient = new Option<string>("--client") { Description = "The client_id.", Required = true };
        var messageQuota = new Option<int?>("--daily-message-quota") { Description = "Messages per UTC day for this client (omit: the server-wide Gateway:DailyMessageQuota)." };
        var verificationQuota = new Option<int?>("--daily-verification-quota") { Description = "Verification codes per UTC day (omit: Gateway:DailyVerificationQuota)." };
        var quotas = new Command("quotas", "Set a client's own daily quotas; an omitted one goes back to the server-wide value.") { quotaClient, messageQuota, verificationQuota };
        quotas.SetAction((r, ct) => RunAsync(services(), async sp =>
        {
            var problems = await sp.GetRequiredService<GatewayClientSettings>().SetQuotasAsync(r.GetValue(quotaClient)!, r.GetValue(messageQuota), r.GetValue(verificationQuota), ct);
            foreach (var p in problems)
                console.Error.WriteLine(p switch
                {
                    GatewayClientSettings.QuotaProblem.UnknownClient => $"gateway: client: no client '{r.GetValue(quotaClient)}'",
                    GatewayClientSettings.QuotaProblem.MessageQuotaOutOfRange => $"gateway: daily-message-quota: 0 to {GatewayClientSettings.MaxQuota}",
                    _ => $"gateway: daily-verification-quota: 0 to {GatewayClientSettings.MaxQuota}",
                });
            if (problems.Count > 0) return 1;
            console.Out.WriteLine(JsonSerializer.Serialize(new { client_id = r.GetValue(quotaClient), daily_message_quota = r.GetValue(messageQuota), daily_verification_quota = r.GetValue(verificationQuota) }));
            return 0;
        }));

        var dead = new Option<bool>("--dead") { Description = "Only dead-lettered deliveries." };
        var list = new Command("list", "The latest 100 webhook deliveries as JSON.") { dead };
        list.SetAction((r, ct) => RunAsync(services(), async sp =>
        {
            var rows = await sp.GetRequiredService<WebhookReplay>().ListAsync(r.GetValue(dead) ? WebhookState.Dead : null, 100, ct);
            console.Out.WriteLine(JsonSerializer.Serialize(rows.Select(d => new
            {
                id = d.Id, client_id = d.ClientId, kind = d.Kind, url = d.Url, state = d.State.ToString().ToLowerInvariant(), attempts = d.Attempts,
                last_error = d.LastError, created_at = d.CreatedAt,
            })));
            return 0;
        }));
        var id = new Argument<string>("id") { Description = "The delivery id (from webhooks list)." };
        var replay = new Command("replay", "Queue a delivery again (a dead one, usually) with a fresh try count.") { id };
        replay.SetAction((r, ct) => RunAsync(services(), async sp =>
        {
            if (!await sp.GetRequiredService<WebhookReplay>().ReplayAsync(r.GetValue(id)!, ct))
            {
                console.Error.WriteLine($"webhooks: no delivery '{r.GetValue(id)}'");
                return 1;
            }
            console.Out.WriteLine(JsonSerializer.Serialize(new { id = r.GetValue(id), state = "pending" }));
            return 0;
        }));

        yield return new Command("gateway", "Gateway API settings of clients.") { configure, quotas, ApiKeyCommands.Create(services, console) };
        yield return new Command("webhooks", "Gateway webhook deliveries: list, replay.") { list, replay };
    }

    internal static async Task<int> RunAsync(IServiceProvider root, Func<IServiceProvider, Task<int>> action)
    {
        await using var scope = root.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }
}
