using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WaIdentity.WaChannel.Codes;
using WaIdentity.WaChannel.Outbox;
using WaIdentity.WaChannel.Persistence;
using WaIdentity.WaChannel.Providers;

namespace WaIdentity.WaChannel.Device;

/// <summary>
/// Sends texts through the linked gateway device (sendText), to a person ("digits@c.us") or a group ("…@g.us").
/// A gateway that is down, or a session that is not WORKING yet, is worth waiting for (transient); a chat the
/// device does not know, or any other refusal, is not. A message waits for the device at most MessageWaitSeconds
/// from its creation (held meanwhile by <see cref="WaitingMessagesHold"/>); after that a device that still cannot
/// send fails it. Delivery states come later as `message.ack` webhooks.
/// </summary>
internal sealed class DeviceMessageProvider(DeviceGatewayClient gateway, ChannelDbContext db, IOptions<DeviceOptions> options, TimeProvider clock) : IMessageProvider
{
    public ChannelKind Channel => ChannelKind.Device;

    public async Task<ProviderSendResult> SendAsync(OutgoingMessage message, CancellationToken ct)
    {
        if (message.Kind == MessageKind.Code) return ProviderSendResult.Permanent("unsupported", "Login codes do not go through the linked device.");
        var chatId = GroupChatId.IsGroup(message.Phone) ? message.Phone : PhoneNumber.Digits(message.Phone) + "@c.us";
        try
        {
            var id = await gateway.SendTextAsync(chatId, message.Content, ct);
            return id is null ? ProviderSendResult.Transient("bad_response", "The gateway gave no message id.") : ProviderSendResult.Accepted(id, null);
        }
        catch (GatewayException e)
        {
            var waitedOut = e.Status is null or >= HttpStatusCode.InternalServerError or HttpStatusCode.UnprocessableEntity or HttpStatusCode.TooManyRequests
                && await WaitedOutAsync(message.Id, ct);
            if (waitedOut)
                return ProviderSendResult.Permanent("device_not_working",
                    $"The linked WhatsApp device was not working for {Minutes(options.Value.MessageWaitSeconds)} after the message was queued; it was not sent.");
            return e.Status switch
            {
                null or >= HttpStatusCode.InternalServerError => ProviderSendResult.Transient("gateway_down", e.Message),
                HttpStatusCode.UnprocessableEntity or HttpStatusCode.TooManyRequests => ProviderSendResult.Transient("device_not_ready", e.Message),
                HttpStatusCode.NotFound => ProviderSendResult.Permanent("unknown_chat", "The linked device has no such chat (is the business number in the group?)."),
                _ => ProviderSendResult.Permanent("gateway_refused", e.Message),
            };
        }
    }

    private async Task<bool> WaitedOutAsync(Guid id, CancellationToken ct)
    {
        var created = await db.Set<OutboundMessage>().AsNoTracking().Where(m => m.Id == id).Select(m => (DateTimeOffset?)m.CreatedAt).FirstOrDefaultAsync(ct);
        return created is null || clock.GetUtcNow() >= created.Value.AddSeconds(options.Value.MessageWaitSeconds);
    }

    private static string Minutes(int seconds) => seconds % 60 == 0 ? $"{seconds / 60} min" : $"{seconds} s";
}
