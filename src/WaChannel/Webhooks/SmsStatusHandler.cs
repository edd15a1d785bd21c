using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using WaIdentity.WaChannel.Codes;
using WaIdentity.WaChannel.Delivery;
using WaIdentity.WaChannel.Outbox;
using WaIdentity.WaChannel.Persistence;

namespace WaIdentity.WaChannel.Webhooks;

/// <summary>A Twilio status callback: MessageSid + MessageStatus (+ ErrorCode) applied to the SMS with that id.</summary>
internal sealed class SmsStatusHandler(ChannelDbContext db, DeliveryTracker tracker, TimeProvider clock)
{
    public async Task<bool> HandleAsync(string body, CancellationToken ct)
    {
        var parsed = QueryHelpers.ParseQuery(body);
        string Field(string name) => parsed.TryGetValue(name, out var v) ? v.ToString() : "";
        var state = Map(Field("MessageStatus"));
        if (state is null) return true;
        var sid = Field("MessageSid");
        var id = await db.Set<OutboundMessage>().Where(m => m.Channel == ChannelKind.Sms && m.ProviderMessageId == sid)
            .Select(m => (Guid?)m.Id).FirstOrDefaultAsync(ct);
        if (id is null) return false;
        var errorCode = Field("ErrorCode") is { Length: > 0 } c ? c : null;
        await tracker.ApplyAsync(id.Value, state.Value, clock.GetUtcNow(), errorCode, errorCode is null ? null : "The SMS could not be delivered.", ct);
        return true;
    }

    private static DeliveryState? Map(string status) => status switch
    {
        "sending" or "sent" => DeliveryState.Sent,
        "delivered" => DeliveryState.Delivered,
        "read" => DeliveryState.Read,
        "undelivered" or "failed" => DeliveryState.Failed,
        _ => null,
    };
}
