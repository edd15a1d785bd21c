using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Quartz;
using WaIdentity.IdP.Oidc.Logout;
using WaIdentity.IdP.Persistence;

namespace WaIdentity.IdP.Gateway;

/// <summary>
/// Sends due webhook deliveries (verification callbacks, forwarded inbound messages, and OIDC back-channel logout
/// tokens, which <see cref="LogoutTokenDelivery"/> sends). A failure is retried after
/// RetryBaseSeconds x 2^(tries-1) (at most an hour); after MaxAttempts tries the delivery is dead and waits for a replay.
/// Runs once across a cluster (Quartz), so a delivery is not sent twice at the same time.
/// </summary>
[DisallowConcurrentExecution]
public sealed class WebhookDeliveryJob(IdpDbContext db, GatewayClientSettings clients, WebhookSender sender, LogoutTokenDelivery logouts, IOptionsMonitor<GatewayOptions> options,
    TimeProvider clock, ILogger<WebhookDeliveryJob> log) : IJob
{
    public const string Name = "gateway-webhooks";
    private const int BatchSize = 50;

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var due = await db.Set<WebhookDelivery>().Where(d => d.State == WebhookState.Pending && d.NextAttemptAt <= now)
            .OrderBy(d => d.NextAttemptAt).Take(BatchSize).ToListAsync(ct);
        foreach (var delivery in due) await AttemptAsync(delivery, ct);
    }

    private async Task AttemptAsync(WebhookDelivery delivery, CancellationToken ct)
    {
        var error = delivery.Kind == BackChannelLogout.Kind ? await logouts.SendAsync(delivery, ct) : await SendAppWebhookAsync(delivery, ct);
        var rules = options.CurrentValue.Webhooks;
        var now = clock.GetUtcNow();
        delivery.Attempts++;
        delivery.LastError = error;
        if (error is null)
        {
            delivery.State = WebhookState.Delivered;
            delivery.DeliveredAt = now;
        }
        else if (delivery.Attempts >= rules.MaxAttempts) delivery.State = WebhookState.Dead;
        else delivery.NextAttemptAt = now + Backoff(rules.RetryBaseSeconds, delivery.Attempts);
        await db.SaveChangesAsync(ct);
        log.LogInformation("Webhook {Id} ({Kind}) for {Client}: try {Attempt} {Outcome}", delivery.Id, delivery.Kind, delivery.ClientId,
            delivery.Attempts, error is null ? "delivered" : $"failed ({error}), now {delivery.State}");
    }

    private async Task<string?> SendAppWebhookAsync(WebhookDelivery delivery, CancellationToken ct)
    {
        var client = await clients.FindAsync(delivery.ClientId, ct);
        var secret = client is null ? null : clients.Secret(client);
        return secret is null ? "the client has no webhook secret" : await sender.SendAsync(delivery, secret, ct);
    }

    public static TimeSpan Backoff(int baseSeconds, int attempts) =>
        TimeSpan.FromSeconds(Math.Min(3600, baseSeconds * Math.Pow(2, Math.Min(attempts - 1, 20))));
}
