using WaIdentity.WaChannel.Codes;

namespace WaIdentity.WaChannel.Delivery;

/// <summary>
/// States only move forward: a late `sent` never undoes `delivered`. `failed` ends a try that was not yet
/// delivered; a `delivered`/`read` after `failed` wins, because the phone did get the message.
/// </summary>
internal static class DeliveryStateRules
{
    public static DeliveryState[] AllowedFrom(DeliveryState to) => to switch
    {
        DeliveryState.Sent => [DeliveryState.Queued],
        DeliveryState.Delivered => [DeliveryState.Queued, DeliveryState.Sent, DeliveryState.Failed],
        DeliveryState.Read => [DeliveryState.Queued, DeliveryState.Sent, DeliveryState.Delivered, DeliveryState.Failed],
        DeliveryState.Failed => [DeliveryState.Queued, DeliveryState.Sent],
        _ => [],
    };
}
