using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WaIdentity.IdP.Oidc.Logout;
using WaIdentity.IdP.Persistence;
using WaIdentity.WaChannel.Queues;

namespace WaIdentity.IdP.Gateway;

/// <summary>
/// The webhook deliveries as a leased queue (see <see cref="ILeasedQueue{TKey}"/>): verification callbacks, forwarded
/// inbound messages, and OIDC back-channel logout tokens (which <see cref="LogoutTokenDelivery"/> sends). Each try is
/// made by the one node whose claim won, so two nodes never post one delivery at the same time. A failure is retried
/// after RetryBaseSeconds x 2^(tries-1) (at most an hour); after MaxAttempts tries the delivery is dead and waits for
/// a replay.
/// </summary>
internal sealed class WebhookDeliveryQueue(IdpDbContext db, GatewayClientSettings clients, WebhookSender sender, LogoutTokenDelivery logouts,
    IServiceScopeFactory scopes, IOptionsMonitor<GatewayOptions> options, TimeProvider clock, ILogger<WebhookDeliveryQueue> log) : ILeasedQueue<string>
{
    private WebhookRules Rules => options.CurrentValue.Webhooks;

    public TimeSpan Lease => TimeSpan.FromSeconds(Rules.LeaseSeconds);

    public static Backoff Retry(WebhookRules rules) => new(TimeSpan.FromSeconds(rules.RetryBaseSeconds), TimeSpan.FromHours(1));

    public async Task<IReadOnlyList<string>> DueAsync(DateTimeOffset now, int take, CancellationToken ct) =>
        await db.Set<WebhookDelivery>().Where(d => d.State == WebhookState.Pending && d.NextAttemptAt <= now && (d.LeaseUntil == null || d.LeaseUntil < now))
            .OrderBy(d => d.NextAttemptAt).Select(d => d.Id).Take(take).ToListAsync(ct);

    public async Task<bool> ClaimAsync(string id, string owner, DateTimeOffset now, DateTimeOffset until, CancellationToken ct) =>
        await db.Set<WebhookDelivery>()
            .Where(d => d.Id == id && d.State == WebhookState.Pending && d.NextAttemptAt <= now && (d.LeaseUntil == null || d.LeaseUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.LeaseOwner, owner).SetProperty(d => d.LeaseUntil, until), ct) == 1;

    public async Task RenewAsync(string id, string owner, DateTimeOffset until, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IdpDbContext>().Set<WebhookDelivery>()
            .Where(d => d.Id == id && d.LeaseOwner == owner && d.LeaseUntil != null && d.State == WebhookState.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.LeaseUntil, until), ct);
    }

    public async Task ProcessAsync(string id, string owner, CancellationToken ct)
    {
        var delivery = await db.Set<WebhookDelivery>().AsNoTracking().FirstAsync(d => d.Id == id, ct);
        var error = delivery.Kind == BackChannelLogout.Kind ? await logouts.SendAsync(delivery, ct) : await SendAppWebhookAsync(delivery, ct);
        var rules = Rules;
        var now = clock.GetUtcNow();
        var attempts = delivery.Attempts + 1;
        var state = error is null ? WebhookState.Delivered : attempts >= rules.MaxAttempts ? WebhookState.Dead : WebhookState.Pending;
        DateTimeOffset? deliveredAt = error is null ? now : null;
        var next = state == WebhookState.Pending ? now + Retry(rules).Delay(attempts) : delivery.NextAttemptAt;
        await db.Set<WebhookDelivery>().Where(d => d.Id == id && d.LeaseOwner == owner && d.State == WebhookState.Pending).ExecuteUpdateAsync(s => s
            .SetProperty(d => d.Attempts, attempts).SetProperty(d => d.LastError, error).SetProperty(d => d.State, state)
            .SetProperty(d => d.DeliveredAt, deliveredAt).SetProperty(d => d.NextAttemptAt, next)
            .SetProperty(d => d.LeaseOwner, (string?)null).SetProperty(d => d.LeaseUntil, (DateTimeOffset?)null), ct);
        log.LogInformation("Webhook {Id} ({Kind}) for {Client}: try {Attempt} {Outcome}", delivery.Id, delivery.Kind, delivery.ClientId,
            attempts, error is null ? "delivered" : $"failed ({error}), now {state}");
    }

    private async Task<string?> SendAppWebhookAsync(WebhookDelivery delivery, CancellationToken ct)
    {
        var client = await clients.FindAsync(delivery.ClientId, ct);
        var secret = client is null ? null : clients.Secret(client);
        return secret is null ? "the client has no webhook secret" : await sender.SendAsync(delivery, secret, ct);
    }
}
