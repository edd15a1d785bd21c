using Microsoft.Extensions.Options;
using WaIdentity.WaChannel.Codes;
using WaIdentity.WaChannel.Configuration;
using WaIdentity.WaChannel.Queues;

namespace WaIdentity.WaChannel.Outbox;

/// <summary>
/// How long the outbox keeps trying one message on its channel: the one place that decides between "try again" and
/// "give up" (and so, for a code, "send it by SMS now"). A code that can still go by SMS (WhatsApp under
/// WhatsAppOrSms with SMS available) has a person waiting on the code page: it gets
/// <c>Fallback:CodeWhatsAppAttempts</c> tries or <c>Fallback:CodeWhatsAppSeconds</c> from the request, whichever
/// ends first. Everything else (notifications, SMS, WhatsApp-only codes) keeps <c>Dispatch:MaxAttempts</c> with
/// exponential backoff.
/// </summary>
internal sealed class RetryBudget(IOptions<ChannelOptions> options, ChannelAvailabilityReader availability)
{
    private ChannelOptions O => options.Value;

    /// <summary>True for a code whose WhatsApp try ends early so that the SMS fallback can take over.</summary>
    public bool FallsBackQuickly(OutboundMessage m) =>
        m.Kind == MessageKind.Code && m.Channel == ChannelKind.WhatsApp && m.Policy == DeliveryPolicy.WhatsAppOrSms
        && m.FallbackId is null && availability.Has(ChannelKind.Sms);

    /// <summary>When to try again after a transient failure, or null when this channel's tries are over.</summary>
    /// <param name="attempts">Tries made so far, the failed one included.</param>
    public DateTimeOffset? NextTry(OutboundMessage m, int attempts, DateTimeOffset now)
    {
        var next = now + Backoff.Delay(attempts);
        if (!FallsBackQuickly(m)) return attempts >= O.Dispatch.MaxAttempts ? null : next;
        return attempts >= O.Fallback.CodeWhatsAppAttempts || next >= CodeDeadline(m) ? null : next;
    }

    /// <summary>
    /// How long one provider call may run before its outcome counts as unknown. A code's call ends at its deadline (a
    /// hung WhatsApp call does not keep the person from the SMS), but gets at least a second. A call that only starts
    /// after the deadline (the code waited out a restart or a backlog) gets the full limit: the SMS follows its first
    /// failure at once, and cutting it short would only turn a working WhatsApp into a second message.
    /// </summary>
    public TimeSpan CallTimeout(OutboundMessage m, DateTimeOffset now)
    {
        var limit = TimeSpan.FromSeconds(O.Dispatch.SendTimeoutSeconds);
        if (!FallsBackQuickly(m)) return limit;
        var left = CodeDeadline(m) - now;
        if (left <= TimeSpan.Zero || left >= limit) return limit;
        return left < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : left;
    }

    /// <summary>After a call whose outcome is unknown: when to send again on the same channel unless a status report came.</summary>
    public DateTimeOffset UnknownOutcomeRecheck(DateTimeOffset now) => now.AddSeconds(O.Dispatch.UnknownOutcomeWaitSeconds);

    private DateTimeOffset CodeDeadline(OutboundMessage m) => m.CreatedAt.AddSeconds(O.Fallback.CodeWhatsAppSeconds);

    /// <summary>Base x 2^(attempt-1), capped at 5 minutes, with up to 20% jitter so retries from many nodes spread out.</summary>
    private Backoff Backoff => new(TimeSpan.FromMilliseconds(O.Dispatch.RetryBaseMilliseconds), TimeSpan.FromMinutes(5), Jitter: 0.2);
}
