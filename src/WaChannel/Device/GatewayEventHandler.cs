using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using WaIdentity.WaChannel.Inbound;

namespace WaIdentity.WaChannel.Device;

/// <summary>
/// One stored gateway webhook: `session.status` updates the device state; `message.ack` moves a sent message's
/// delivery state (<see cref="DeviceAckHandler"/>); `message` from a person (not our own,
/// not a group, status or channel) becomes an <see cref="InboundMessage"/>, its `@lid` sender first resolved to the
/// phone through the gateway. Returns false to be tried again later (the gateway could not be asked).
/// </summary>
internal sealed class GatewayEventHandler(
    GatewayEndpoint endpoint, DeviceStateRecorder recorder, DeviceGatewayClient gateway, InboundDispatcher inbound, DeviceAckHandler acks,
    TimeProvider clock, ILogger<GatewayEventHandler> log)
{
    public async Task<bool> HandleAsync(string body, CancellationToken ct)
    {
        var root = JsonNode.Parse(body);
        if (root?["session"]?.GetValue<string>() != endpoint.Session) return true;
        var payload = root["payload"];
        return root["event"]?.GetValue<string>() switch
        {
            "session.status" => await StatusAsync(root, payload, ct),
            "message" => payload is null || await MessageAsync(payload, ct),
            "message.ack" => payload is null || await acks.HandleAsync(payload, root["timestamp"]?.GetValue<long>(), ct),
            _ => true,
        };
    }

    private async Task<bool> StatusAsync(JsonNode root, JsonNode? payload, CancellationToken ct)
    {
        var status = payload?["status"]?.GetValue<string>();
        if (string.IsNullOrEmpty(status)) return true;
        // Newer gateways give the transition's own time; older ones only the envelope's, or nothing.
        var ms = (payload?["statuses"]?.AsArray().LastOrDefault()?["timestamp"] ?? root["timestamp"])?.GetValue<long>();
        var at = ms is { } t ? DateTimeOffset.FromUnixTimeMilliseconds(t) : clock.GetUtcNow();
        await recorder.RecordStatusAsync(status, at, root["me"]?["id"]?.GetValue<string>(), root["me"]?["pushName"]?.GetValue<string>(), ct);
        return true;
    }

    private async Task<bool> MessageAsync(JsonNode payload, CancellationToken ct)
    {
        var from = payload["from"]?.GetValue<string>() ?? "";
        if (payload["fromMe"]?.GetValue<bool>() == true || !(from.EndsWith("@c.us") || from.EndsWith("@lid") || from.EndsWith("@s.whatsapp.net"))) return true;
        string? digits;
        if (from.EndsWith("@lid"))
        {
            try { digits = await gateway.ResolveLidAsync(from, ct); }
            catch (GatewayException e)
            {
                log.LogWarning("A linked-id sender could not be resolved yet: {Problem}", e.Message);
                return false;
            }
            // An unresolvable linked id is not a phone number: matching it to a login would be a guess.
            if (digits is null) return true;
        }
        else digits = from.Split('@')[0];
        var data = payload["_data"];
        var profile = data?["pushName"]?.GetValue<string>() ?? data?["notifyName"]?.GetValue<string>();
        var seconds = payload["timestamp"]?.GetValue<long>();
        var sentAt = seconds is { } s ? DateTimeOffset.FromUnixTimeSeconds(s) : clock.GetUtcNow();
        await inbound.AcceptAsync(new InboundMessage(digits, profile, payload["body"]?.GetValue<string>() ?? "", sentAt, payload["id"]?.GetValue<string>() ?? ""), ct);
        return true;
    }
}
