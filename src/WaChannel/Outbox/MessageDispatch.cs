using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WaIdentity.WaChannel.Codes;
using WaIdentity.WaChannel.Configuration;
using WaIdentity.WaChannel.Delivery;
using WaIdentity.WaChannel.Persistence;
using WaIdentity.WaChannel.Providers;
using WaIdentity.WaChannel.Queues;
using WaIdentity.WaChannel.Telemetry;

namespace WaIdentity.WaChannel.Outbox;

/// <summary>
/// The outbox as a leased queue (see <see cref="ILeasedQueue{TKey}"/>): sends one claimed message and records the
/// outcome only while still holding the lease. The lease (<c>Dispatch:LeaseSeconds</c>) is short and renewed while the
/// provider call is in flight, so a node that dies holding one delays the message by at most one lease.
/// Transient errors are retried as <see cref="RetryBudget"/> allows; permanent ones fail the message (and may start
/// the SMS fallback). A call that runs out of time has an unknown outcome and is not blindly repeated: a code that can
/// fall back goes by SMS, anything else waits for the provider's status report before it is sent again.
/// </summary>
internal sealed class MessageDispatch(
    ChannelDbContext db, IEnumerable<IMessageProvider> providers, PayloadProtector protector, DeliveryTracker tracker,
    FallbackSender fallback, RetryBudget budget, IServiceScopeFactory scopes, IOptions<ChannelOptions> options, TimeProvider clock,
    ILogger<MessageDispatch> log) : ILeasedQueue<Guid>
{
    private DispatchOptions O => options.Value.Dispatch;

    public TimeSpan Lease => TimeSpan.FromSeconds(O.LeaseSeconds);

    public async Task<IReadOnlyList<Guid>> DueAsync(DateTimeOffset now, int take, CancellationToken ct) =>
        await db.Set<OutboundMessage>()
            .Where(m => m.Dispatch == DispatchState.Pending && m.NextAttemptAt <= now && (m.LeaseUntil == null || m.LeaseUntil < now))
            .OrderBy(m => m.NextAttemptAt).Select(m => m.Id).Take(take).ToListAsync(ct);

    public async Task<bool> ClaimAsync(Guid id, string node, DateTimeOffset now, DateTimeOffset until, CancellationToken ct) =>
        await db.Set<OutboundMessage>()
            .Where(m => m.Id == id && m.Dispatch == DispatchState.Pending && m.NextAttemptAt <= now && (m.LeaseUntil == null || m.LeaseUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.LeaseOwner, node).SetProperty(m => m.LeaseUntil, until), ct) == 1;

    public async Task RenewAsync(Guid id, string node, DateTimeOffset until, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ChannelDbContext>().Set<OutboundMessage>()
            .Where(m => m.Id == id && m.LeaseOwner == node && m.LeaseUntil != null && m.Dispatch == DispatchState.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.LeaseUntil, until), ct);
    }

    public async Task ProcessAsync(Guid id, string node, CancellationToken ct)
    {
        var message = await db.Set<OutboundMessage>().AsNoTracking().FirstAsync(m => m.Id == id, ct);
        using var activity = ChannelTracing.StartSend(message.Id, message.Channel, message.TraceParent);
        var outcome = await SendAsync(message, ct);
        var attempts = message.Attempts + 1;
        var retryAt = outcome.Kind is SendResultKind.Transient or SendResultKind.Unknown ? budget.NextTry(message, attempts, clock.GetUtcNow()) : null;
        if (retryAt is null && (outcome.Kind == SendResultKind.Transient || outcome.Kind == SendResultKind.Unknown && !budget.FallsBackQuickly(message)))
            outcome = outcome with { Kind = SendResultKind.Permanent };
        log.LogInformation("Message {MessageId} via {Channel} attempt {Attempt}: {Outcome} {ErrorCode}", id, message.Channel, attempts, outcome.Kind, outcome.ErrorCode);
        activity?.SetTag("waidentity.send.outcome", outcome.Kind.ToString());
        if (outcome.Kind != SendResultKind.Accepted) activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, outcome.ErrorCode);
        await RecordAsync(message, node, attempts, outcome, retryAt, ct);
    }

    private async Task<ProviderSendResult> SendAsync(OutboundMessage message, CancellationToken ct)
    {
        var provider = providers.FirstOrDefault(p => p.Channel == message.Channel);
        if (provider is null) return ProviderSendResult.Permanent("no_provider", "This channel is not configured.");
        using var call = CancellationTokenSource.CreateLinkedTokenSource(ct);
        // The linked device's client keeps its own timeout: its sends are acknowledged differently.
        if (message.Channel != ChannelKind.Device) call.CancelAfter(budget.CallTimeout(message, clock.GetUtcNow()));
        try
        {
            return await provider.SendAsync(Outgoing(message), call.Token);
        }
        catch (OperationCanceledException) when (call.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            return ProviderSendResult.Unknown();
        }
        catch (Polly.Timeout.TimeoutRejectedException)
        {
            return ProviderSendResult.Unknown();
        }
        catch (Polly.CircuitBreaker.BrokenCircuitException)
        {
            // Nothing was sent: the outbox tries again on its own schedule (or the code goes by SMS).
            return ProviderSendResult.Transient(ProviderSendResult.CircuitOpenCode, "The provider failed repeatedly; calls to it are paused and the message will be retried.");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return ProviderSendResult.Transient("network", "The provider could not be reached; the message will be retried.");
        }
    }

    private OutgoingMessage Outgoing(OutboundMessage message)
    {
        var content = protector.Unprotect(message.Payload);
        if (message.Kind != MessageKind.Question) return new OutgoingMessage(message.Id, message.Kind, message.Phone, message.Locale, content);
        var question = QuestionContent.FromJson(content);
        return new OutgoingMessage(message.Id, message.Kind, message.Phone, message.Locale, question.Text, question.Buttons);
    }

    private async Task RecordAsync(OutboundMessage message, string node, int attempts, ProviderSendResult outcome, DateTimeOffset? retryAt, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var mine = db.Set<OutboundMessage>().Where(m => m.Id == message.Id && m.LeaseOwner == node && m.Dispatch == DispatchState.Pending);
        switch (outcome.Kind)
        {
            case SendResultKind.Accepted:
                await mine.ExecuteUpdateAsync(s => s
                    .SetProperty(m => m.Dispatch, DispatchState.Accepted).SetProperty(m => m.Attempts, attempts)
                    .SetProperty(m => m.ProviderMessageId, outcome.ProviderMessageId).SetProperty(m => m.WaId, outcome.WaId)
                    .SetProperty(m => m.LeaseUntil, (DateTimeOffset?)null).SetProperty(m => m.UpdatedAt, now)
                    .SetProperty(m => m.ErrorCode, (string?)null).SetProperty(m => m.Error, (string?)null), ct);
                break;
            case SendResultKind.Unknown when budget.FallsBackQuickly(message):
                // The person waiting gets the code by SMS now; WhatsApp is not asked again. Should WhatsApp have taken
                // it after all, its status report (matched by our id) still lands on this message.
                var abandoned = await mine.ExecuteUpdateAsync(s => s
                    .SetProperty(m => m.Dispatch, DispatchState.Rejected).SetProperty(m => m.Attempts, attempts)
                    .SetProperty(m => m.LeaseUntil, (DateTimeOffset?)null).SetProperty(m => m.UpdatedAt, now)
                    .SetProperty(m => m.ErrorCode, outcome.ErrorCode).SetProperty(m => m.Error, outcome.Error), ct);
                if (abandoned == 1 && await fallback.TryFallBackAsync(message.Id, ct)) await tracker.NotifyAsync(message.Id, ct);
                break;
            case SendResultKind.Unknown:
                // Stays pending, but only comes due after the wait: a status report in between settles it as accepted.
                var recheck = budget.UnknownOutcomeRecheck(now);
                await mine.ExecuteUpdateAsync(s => s
                    .SetProperty(m => m.Attempts, attempts).SetProperty(m => m.NextAttemptAt, recheck)
                    .SetProperty(m => m.LeaseUntil, (DateTimeOffset?)null).SetProperty(m => m.UpdatedAt, now)
                    .SetProperty(m => m.ErrorCode, outcome.ErrorCode).SetProperty(m => m.Error, outcome.Error), ct);
                break;
            case SendResultKind.Transient:
                var next = retryAt!.Value;
                await mine.ExecuteUpdateAsync(s => s
                    .SetProperty(m => m.Attempts, attempts).SetProperty(m => m.NextAttemptAt, next)
                    .SetProperty(m => m.LeaseUntil, (DateTimeOffset?)null).SetProperty(m => m.UpdatedAt, now)
                    .SetProperty(m => m.ErrorCode, outcome.ErrorCode).SetProperty(m => m.Error, outcome.Error), ct);
                break;
            default:
                var rejected = await mine.ExecuteUpdateAsync(s => s
                    .SetProperty(m => m.Dispatch, DispatchState.Rejected).SetProperty(m => m.Attempts, attempts)
                    .SetProperty(m => m.LeaseUntil, (DateTimeOffset?)null).SetProperty(m => m.UpdatedAt, now), ct);
                if (rejected == 1) await tracker.ApplyAsync(message.Id, DeliveryState.Failed, now, outcome.ErrorCode, outcome.Error, ct);
                break;
        }
    }
}
