using System.Diagnostics;
using WaIdentity.WaChannel.Codes;

namespace WaIdentity.WaChannel.Telemetry;

/// <summary>
/// The channel's spans. A message is sent later, by the dispatcher and perhaps on another node, and its status comes
/// back later still, through a webhook: so the W3C trace context of whoever enqueued it (the login page's request)
/// is kept on the outbox row, and the send and each status change continue that trace. One login then reads as one
/// trace: page, send (with the provider's HTTP call under it), status. A webhook is stored with the trace context of
/// the provider's request and processed later: its processing continues the request's trace, and a status it reports
/// links to it (the provider's request and the login are two traces; a span has one parent but any number of links).
/// </summary>
public static class ChannelTracing
{
    public const string SourceName = "WaIdentity.WaChannel";
    public const string MessageIdTag = "waidentity.message.id";
    public const string WebhookEventIdTag = "waidentity.webhook.id";

    private static readonly ActivitySource Source = new(SourceName);

    /// <summary>The current span as a <c>traceparent</c> value, or null when nothing is being traced.</summary>
    public static string? CurrentTraceParent() => Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;

    /// <summary>Sending one message to its provider, as a child of the span that enqueued it.</summary>
    public static Activity? StartSend(Guid messageId, ChannelKind channel, string? traceParent)
    {
        var activity = Source.StartActivity("channel.send", ActivityKind.Producer, ParentOf(traceParent));
        activity?.SetTag(MessageIdTag, messageId).SetTag("waidentity.channel", channel.ToString());
        return activity;
    }

    /// <summary>
    /// Acting on a stored webhook event, as a child of the request that delivered it (OpenTelemetry's messaging
    /// conventions: a single message's processing may take its creation context as parent).
    /// </summary>
    public static Activity? StartWebhook(Guid eventId, string source, string? traceParent)
    {
        var activity = Source.StartActivity("channel.webhook", ActivityKind.Consumer, ParentOf(traceParent));
        activity?.SetTag(WebhookEventIdTag, eventId).SetTag("waidentity.webhook.source", source);
        return activity;
    }

    /// <summary>
    /// A message reaching a delivery state, in the message's trace; linked to what reported it (a webhook's span, when
    /// traced), which belongs to a trace of its own.
    /// </summary>
    public static Activity? StartStatus(Guid messageId, DeliveryState state, string? traceParent)
    {
        var parent = ParentOf(traceParent);
        var reporter = Activity.Current is { } current && current.Context.TraceId != parent.TraceId
            ? new[] { new ActivityLink(current.Context) }
            : null;
        var activity = Source.StartActivity("channel.status", ActivityKind.Consumer, parent, links: reporter);
        activity?.SetTag(MessageIdTag, messageId).SetTag("waidentity.delivery.state", state.ToString());
        return activity;
    }

    /// <summary>A stored <c>traceparent</c> as a remote parent; default (no parent) when absent or malformed.</summary>
    public static ActivityContext ParentOf(string? traceParent) =>
        ActivityContext.TryParse(traceParent, null, isRemote: true, out var parent) ? parent : default;
}
