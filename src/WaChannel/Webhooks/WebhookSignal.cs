using WaIdentity.WaChannel.Queues;

namespace WaIdentity.WaChannel.Webhooks;

/// <summary>Wakes the webhook processor when a webhook was stored on this node.</summary>
internal sealed class WebhookSignal : WorkSignal;
