using System.Net;
using WaIdentity.WaChannel.Codes;
using WaIdentity.WaChannel.Outbox;
using WaIdentity.WaChannel.Providers;

namespace WaIdentity.WaChannel.Device;

/// <summary>
/// Sends texts through the linked gateway device (sendText), to a person ("digits@c.us") or a group ("…@g.us").
/// A gateway that is down, or a session that is not WORKING yet, is worth waiting for (transient); a chat the
/// device does not know, or any other refusal, is not. Delivery states come later as `message.ack` webhooks.
/// </summary>
public sealed class DeviceMessageProvider(GatewayClient gateway) : IMessageProvider
{
    public ChannelKind Channel => ChannelKind.Device;

    public async Task<SendOutcome> SendAsync(OutgoingMessage message, CancellationToken ct)
    {
        if (message.Kind == MessageKind.Code) return SendOutcome.Permanent("unsupported", "Login codes do not go through the linked device.");
        var chatId = GroupChatId.IsGroup(message.Phone) ? message.Phone : PhoneNumber.Digits(message.Phone) + "@c.us";
        try
        {
            var id = await gateway.SendTextAsync(chatId, message.Content, ct);
            return id is null ? SendOutcome.Transient("bad_response", "The gateway gave no message id.") : SendOutcome.Accepted(id, null);
        }
        catch (GatewayException e)
        {
            return e.Status switch
            {
                null or >= HttpStatusCode.InternalServerError => SendOutcome.Transient("gateway_down", e.Message),
                HttpStatusCode.UnprocessableEntity or HttpStatusCode.TooManyRequests => SendOutcome.Transient("device_not_ready", e.Message),
                HttpStatusCode.NotFound => SendOutcome.Permanent("unknown_chat", "The linked device has no such chat (is the business number in the group?)."),
                _ => SendOutcome.Permanent("gateway_refused", e.Message),
            };
        }
    }
}
