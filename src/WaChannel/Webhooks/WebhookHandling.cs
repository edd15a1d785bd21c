using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WaIdentity.WaChannel.Configuration;
using WaIdentity.WaChannel.Device;
using WaIdentity.WaChannel.Persistence;
using WaIdentity.WaChannel.Queues;
using WaIdentity.WaChannel.Telemetry;

namespace WaIdentity.WaChannel.Webhooks;

/// <summary>
/// The stored webhook events as a leased queue (see <see cref="ILeasedQueue{TKey}"/>): one node handles each. An event
/// that refers to a message not yet known (a status racing the send's response) is tried again after a short, growing
/// delay, and set aside after <c>Webhooks:MaxAttempts</c> tries so junk cannot loop forever. Between tries the
/// lease column holds the time the event is due again.
/// </summary>
internal sealed class WebhookHandling(
    ChannelDbContext db, SmsStatusHandler sms, GatewayEventHandler gateway, CloudApiEventHandler cloudApi, IServiceScopeFactory scopes,
    IOptions<ChannelOptions> options, TimeProvider clock, ILogger<WebhookHandling> log) : ILeasedQueue<Guid>
{
    /// <summary>Growing from 200 ms: the send's response that a status raced is usually stored within a second.</summary>
    private static readonly Backoff Retry = new(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5));

    private WebhookProcessingOptions O => options.Value.Webhooks;

    public TimeSpan Lease => TimeSpan.FromSeconds(O.LeaseSeconds);

    public async Task<IReadOnlyList<Guid>> DueAsync(DateTimeOffset now, int take, CancellationToken ct) =>
        await db.Set<WebhookEvent>().Where(w => w.ProcessedAt == null && (w.LeaseUntil == null || w.LeaseUntil < now))
            .OrderBy(w => w.ReceivedAt).Select(w => w.Id).Take(take).ToListAsync(ct);

    public async Task<bool> ClaimAsync(Guid id, string owner, DateTimeOffset now, DateTimeOffset until, CancellationToken ct) =>
        await db.Set<WebhookEvent>().Where(w => w.Id == id && w.ProcessedAt == null && (w.LeaseUntil == null || w.LeaseUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(w => w.LeaseOwner, owner).SetProperty(w => w.LeaseUntil, until), ct) == 1;

    public async Task RenewAsync(Guid id, string owner, DateTimeOffset until, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ChannelDbContext>().Set<WebhookEvent>()
            .Where(w => w.Id == id && w.LeaseOwner == owner && w.ProcessedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(w => w.LeaseUntil, until), ct);
    }

    public async Task ProcessAsync(Guid id, string owner, CancellationToken ct)
    {
        var evt = await db.Set<WebhookEvent>().AsNoTracking().FirstAsync(w => w.Id == id, ct);
        using var activity = ChannelTracing.StartWebhook(evt.Id, evt.Source, evt.TraceParent);
        var complete = await HandleAsync(evt, ct);
        var now = clock.GetUtcNow();
        var attempts = evt.Attempts + 1;
        var done = complete || attempts >= O.MaxAttempts;
        DateTimeOffset? processedAt = done ? now : null;
        DateTimeOffset? retryAt = done ? null : now + Retry.Delay(attempts);
        await db.Set<WebhookEvent>().Where(w => w.Id == id && w.LeaseOwner == owner).ExecuteUpdateAsync(s => s
            .SetProperty(w => w.Attempts, attempts)
            .SetProperty(w => w.ProcessedAt, processedAt)
            .SetProperty(w => w.LeaseOwner, (string?)null)
            .SetProperty(w => w.LeaseUntil, retryAt), ct);
    }

    private async Task<bool> HandleAsync(WebhookEvent evt, CancellationToken ct)
    {
        try
        {
            return evt.Source switch
            {
                "sms" => await sms.HandleAsync(evt.Body, ct),
                GatewayWebhookEndpoint.Source => await gateway.HandleAsync(evt.Body, ct),
                _ => await cloudApi.HandleAsync(evt.Body, ct),
            };
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            log.LogWarning(e, "Webhook event {EventId} could not be processed", evt.Id);
            return false;
        }
    }
}
