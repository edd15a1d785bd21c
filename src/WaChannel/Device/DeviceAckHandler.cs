using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WaIdentity.WaChannel.Codes;
using WaIdentity.WaChannel.Delivery;
using WaIdentity.WaChannel.Outbox;
using WaIdentity.WaChannel.Persistence;

namespace WaIdentity.WaChannel.Device;

/// <summary>
/// A `message.ack` webhook for a message we sent through the device becomes its delivery state: ERROR (-1) failed,
/// SERVER (1) sent, DEVICE (2) delivered (in a group: to every member), READ (3) and PLAYED (4) read. PENDING (0)
/// says nothing new. An ack can race the send's response that stores the gateway's id: then it answers false and
/// the webhook processor tries again shortly (acks for texts typed on the phone itself give up after its retries).
/// </summary>
internal sealed class DeviceAckHandler(ChannelDbContext db, DeliveryTracker tracker, TimeProvider clock)
{
    /// <returns>False when the message is not known (yet).</returns>
    public async Task<bool> HandleAsync(JsonNode payload, long? envelopeMs, CancellationToken ct)
    {
        var state = (payload["ack"] as JsonValue)?.TryGetValue<int>(out var ack) == true ? ToState(ack) : null;
        var providerId = payload["id"] is JsonValue v ? v.ToString() : payload["id"]?["_serialized"]?.GetValue<string>();
        if (state is null || string.IsNullOrEmpty(providerId)) return true;
        var messageId = await db.Set<OutboundMessage>().AsNoTracking()
            .Where(m => m.Channel == ChannelKind.Device && m.ProviderMessageId == providerId).Select(m => (Guid?)m.Id).FirstOrDefaultAsync(ct);
        if (messageId is null) return false;
        var at = envelopeMs is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : clock.GetUtcNow();
        var failed = state == DeliveryState.Failed;
        await tracker.ApplyAsync(messageId.Value, state.Value, at, failed ? "device_error" : null, failed ? "The linked device could not deliver the message." : null, ct);
        return true;
    }

    private static DeliveryState? ToState(int ack) => ack switch
    {
        < 0 => DeliveryState.Failed,
        1 => DeliveryState.Sent,
        2 => DeliveryState.Delivered,
        >= 3 => DeliveryState.Read,
        _ => null,
    };
}
