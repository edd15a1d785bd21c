using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WaIdentity.WaChannel.Codes;
using WaIdentity.WaChannel.Delivery;
using WaIdentity.WaChannel.Inbound;
using WaIdentity.WaChannel.Outbox;
using WaIdentity.WaChannel.Persistence;

namespace WaIdentity.WaChannel.Webhooks;

/// <summary>
/// One Cloud API webhook body: `statuses[]` update our messages (found by biz_opaque_callback_data, else by the
/// wamid), `messages[]` become inbound messages (a reply button's press with its payload). Returns false when a status names a message not stored yet.
/// </summary>
internal sealed class CloudApiEventHandler(ChannelDbContext db, DeliveryTracker tracker, InboundDispatcher inbound, TimeProvider clock)
{
    public async Task<bool> HandleAsync(string body, CancellationToken ct)
    {
        var complete = true;
        var root = JsonNode.Parse(body);
        foreach (var value in (root?["entry"]?.AsArray() ?? []).SelectMany(e => e?["changes"]?.AsArray() ?? []).Select(c => c?["value"]))
        {
            if (value is null) continue;
            foreach (var status in value["statuses"]?.AsArray() ?? [])
                if (status is not null) complete &= await ApplyStatusAsync(status, ct);
            foreach (var message in value["messages"]?.AsArray() ?? [])
                if (message is not null) await inbound.AcceptAsync(ToInbound(message, value["contacts"]?.AsArray()), ct);
        }
        return complete;
    }

    private async Task<bool> ApplyStatusAsync(JsonNode status, CancellationToken ct)
    {
        var state = Map(status["status"]?.GetValue<string>());
        if (state is null) return true;
        var messageId = await FindMessageAsync(status["biz_opaque_callback_data"]?.GetValue<string>(), status["id"]?.GetValue<string>(), ct);
        if (messageId is null) return false;
        await RecordPricingAsync(messageId.Value, status["pricing"], ct);
        var error = status["errors"]?[0];
        var code = error?["code"]?.GetValue<int>().ToString();
        // The history records when we learned of the state: Meta's timestamps are whole seconds and would sort
        // a `sent` before the `queued` we wrote a few milliseconds earlier.
        await tracker.ApplyAsync(messageId.Value, state.Value, clock.GetUtcNow(), code,
            code is null ? null : code == "131026" ? "This number cannot receive WhatsApp messages." : "WhatsApp could not deliver the message.", ct);
        return true;
    }

    private async Task<Guid?> FindMessageAsync(string? opaque, string? wamid, CancellationToken ct)
    {
        var messages = db.Set<OutboundMessage>().Where(m => m.Channel == ChannelKind.WhatsApp);
        if (Guid.TryParseExact(opaque, "N", out var id) && await messages.AnyAsync(m => m.Id == id, ct)) return id;
        if (wamid is null) return null;
        return await messages.Where(m => m.ProviderMessageId == wamid).Select(m => (Guid?)m.Id).FirstOrDefaultAsync(ct);
    }

    private async Task RecordPricingAsync(Guid id, JsonNode? pricing, CancellationToken ct)
    {
        if (pricing is null) return;
        var category = pricing["category"]?.GetValue<string>();
        var billable = pricing["billable"]?.GetValue<bool>() ?? pricing["type"]?.GetValue<string>() == "regular";
        await db.Set<OutboundMessage>().Where(m => m.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Billable, billable).SetProperty(m => m.PricingCategory, category), ct);
    }

    private InboundMessage ToInbound(JsonNode message, JsonArray? contacts)
    {
        var from = message["from"]?.GetValue<string>() ?? "";
        var profile = contacts?.FirstOrDefault(c => c?["wa_id"]?.GetValue<string>() == from)?["profile"]?["name"]?.GetValue<string>();
        // A template's quick reply is type "button" (button.payload, button.text); an interactive message's reply button is
        // type "interactive" (interactive.button_reply.id, .title). Either way the text is the label the person saw.
        var reply = message["interactive"]?["button_reply"];
        var text = message["text"]?["body"]?.GetValue<string>() ?? message["button"]?["text"]?.GetValue<string>()
            ?? reply?["title"]?.GetValue<string>() ?? "";
        var payload = message["button"]?["payload"]?.GetValue<string>() ?? reply?["id"]?.GetValue<string>();
        return new InboundMessage(from, profile, text, UnixTime(message["timestamp"]), message["id"]?.GetValue<string>() ?? "", payload);
    }

    private static DeliveryState? Map(string? status) => status switch
    {
        "sent" => DeliveryState.Sent,
        "delivered" => DeliveryState.Delivered,
        "read" or "played" => DeliveryState.Read,
        "failed" => DeliveryState.Failed,
        _ => null,
    };

    private static DateTimeOffset UnixTime(JsonNode? seconds) =>
        long.TryParse(seconds?.ToString(), out var s) ? DateTimeOffset.FromUnixTimeSeconds(s) : DateTimeOffset.UtcNow;
}
