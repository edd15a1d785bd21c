using WaIdentity.WaChannel.Codes;
using WaIdentity.WaChannel.Device;

namespace WaIdentity.WaChannel.Outbox;

/// <summary>Checks a free text and queues it like a code. Callers own their own quotas (texts are not login codes), unless
/// they ask for the send limits (<see cref="TextRequest.Limited"/>).</summary>
public sealed class TextSender(OutboxWriter outbox, ChannelAvailabilityReader availability, DeviceReadiness device, SendLimiter limiter) : ITextSender
{
    public async Task<MessageHandle> SendTextAsync(TextRequest request, CancellationToken ct = default)
    {
        if (!PhoneNumber.IsE164(request.Phone))
            throw new CodeSendRefusedException("invalid_phone", "The phone number must be in international format, like +6281234567890.");
        CheckText(request.Text);
        if (request.Buttons is not null) CheckButtons(request.Buttons, request.Text);
        // The linked device has no buttons: it sends the text, which says how to answer by typing.
        if (request.ThroughDevice) return await ThroughDeviceAsync(request.Phone, request.Text, request.Locale, request.Purpose, ct);
        var channel = ChannelChooser.Choose(availability, request.Policy, preferred: null);
        if (request.Limited) await limiter.CheckAsync(request.Phone, request.ClientIp, ct);
        var (kind, content) = request.Buttons is { } buttons
            ? (MessageKind.Question, new QuestionContent(request.Text, buttons).ToJson())
            : (MessageKind.Text, request.Text);
        // A limited text keeps a ClientIp ("" without an address): that is how SendLimiter counts it among the codes.
        return await outbox.WriteAsync(new OutboxEntry(kind, channel, request.Policy, request.Phone, request.Locale, request.Purpose, content,
            ClientIp: request.Limited ? request.ClientIp ?? "" : null), ct);
    }

    public async Task<MessageHandle> SendGroupTextAsync(GroupTextRequest request, CancellationToken ct = default)
    {
        var group = GroupChatId.Normalize(request.GroupId)
            ?? throw new CodeSendRefusedException("invalid_group", "A group id looks like 120363012345678901@g.us.");
        CheckText(request.Text);
        if (!availability.Has(ChannelKind.Device))
            throw new CodeSendRefusedException("groups_unavailable", "Group messages go through the linked WhatsApp device, which is off (Channel:Device:Enabled).");
        // No SMS fallback: a group has no phone number to text.
        return await ThroughDeviceAsync(group, request.Text, "en", request.Purpose, ct);
    }

    /// <summary>A text to a person or group by the linked device. A device that cannot send yet holds the message until it
    /// works (released then) or the wait ends, rather than spending the retry budget on it.</summary>
    private async Task<MessageHandle> ThroughDeviceAsync(string to, string text, string locale, string purpose, CancellationToken ct)
    {
        if (!availability.Has(ChannelKind.Device))
            throw new CodeSendRefusedException("device_unavailable", "The linked WhatsApp device is off on this server (Channel:Device:Enabled).");
        var wait = await device.WaitForNewMessageAsync(ct);
        return await outbox.WriteAsync(new OutboxEntry(MessageKind.Text, ChannelKind.Device, DeliveryPolicy.WhatsAppOnly, to, locale, purpose, text,
            NotBefore: wait?.Until), ct);
    }

    private static void CheckButtons(ReplyButtons question, string text)
    {
        if (text.Length > ReplyButtons.MaxTextLength)
            throw new CodeSendRefusedException("invalid_text", $"A question with buttons is 1 to {ReplyButtons.MaxTextLength} characters.");
        var buttons = question.Buttons;
        if (buttons.Count is < 1 or > ReplyButtons.MaxButtons
            || buttons.Any(b => string.IsNullOrWhiteSpace(b.Title) || b.Title.Length > ReplyButtons.MaxTitleLength
                || string.IsNullOrEmpty(b.Payload) || b.Payload.Length > ReplyButtons.MaxPayloadLength)
            || buttons.Select(b => b.Payload).Distinct(StringComparer.Ordinal).Count() != buttons.Count)
            throw new CodeSendRefusedException("invalid_buttons",
                $"A question has 1 to {ReplyButtons.MaxButtons} buttons, each with a title of at most {ReplyButtons.MaxTitleLength} characters and its own payload of at most {ReplyButtons.MaxPayloadLength}.");
        // WhatsApp refuses a template parameter with a new line, a tab or more than four spaces in a row.
        if (question.TemplateParameters.Any(p => string.IsNullOrWhiteSpace(p) || p.Contains('\n') || p.Contains('\t') || p.Contains("     ")))
            throw new CodeSendRefusedException("invalid_buttons", "A template parameter is one line of text.");
    }

    private static void CheckText(string text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > TextRequest.MaxLength)
            throw new CodeSendRefusedException("invalid_text", $"A text is 1 to {TextRequest.MaxLength} characters.");
    }
}
