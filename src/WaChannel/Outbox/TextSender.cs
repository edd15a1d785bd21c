using WaIdentity.WaChannel.Codes;
using WaIdentity.WaChannel.Device;

namespace WaIdentity.WaChannel.Outbox;

/// <summary>Checks a free text and queues it like a code. Callers own their own quotas (texts are not login codes), unless
/// they ask for the send limits (<see cref="TextRequest.Limited"/>).</summary>
internal sealed class TextSender(OutboxWriter outbox, ChannelAvailabilityReader availability, DeviceReadiness device, SendLimiter limiter) : ITextSender
{
    public async Task<SendResult> SendTextAsync(TextRequest request, CancellationToken ct = default)
    {
        if (!PhoneNumber.IsE164(request.Phone))
            return new SendRefusal(SendRefusalReason.InvalidPhone, "The phone number must be in international format, like +6281234567890.");
        if ((CheckText(request.Text) ?? (request.Buttons is null ? null : CheckButtons(request.Buttons, request.Text))) is { } invalid) return invalid;
        // The linked device has no buttons: it sends the text, which says how to answer by typing.
        if (request.ThroughDevice) return await ThroughDeviceAsync(request.Phone, request.Text, request.Locale, request.Purpose, ct);
        var choice = ChannelChooser.Choose(availability.Current, request.Policy, preferred: null);
        if (!choice.CanSend) return choice.Refusal;
        if (request.Limited && await limiter.CheckAsync(request.Phone, request.ClientIp, ct) is { } limited) return limited;
        var (kind, content) = request.Buttons is { } buttons
            ? (MessageKind.Question, new QuestionContent(request.Text, buttons).ToJson())
            : (MessageKind.Text, request.Text);
        // A limited text keeps a ClientIp ("" without an address): that is how SendLimiter counts it among the codes.
        var handle = await outbox.WriteAsync(new OutboxEntry(kind, choice.Channel, request.Policy, request.Phone, request.Locale, request.Purpose, content,
            ClientIp: request.Limited ? request.ClientIp ?? "" : null), ct);
        return SendResult.Queue(handle, choice.Channel);
    }

    public async Task<SendResult> SendGroupTextAsync(GroupTextRequest request, CancellationToken ct = default)
    {
        if (GroupChatId.Normalize(request.GroupId) is not { } group)
            return new SendRefusal(SendRefusalReason.InvalidGroup, "A group id looks like 120363012345678901@g.us.");
        if (CheckText(request.Text) is { } invalid) return invalid;
        if (!availability.Has(ChannelKind.Device))
            return new SendRefusal(SendRefusalReason.GroupsUnavailable, "Group messages go through the linked WhatsApp device, which is off (Channel:Device:Enabled).");
        // No SMS fallback: a group has no phone number to text.
        return await ThroughDeviceAsync(group, request.Text, "en", request.Purpose, ct);
    }

    /// <summary>A text to a person or group by the linked device. A device that cannot send yet holds the message until it
    /// works (released then) or the wait ends, rather than spending the retry budget on it.</summary>
    private async Task<SendResult> ThroughDeviceAsync(string to, string text, string locale, string purpose, CancellationToken ct)
    {
        if (!availability.Has(ChannelKind.Device))
            return new SendRefusal(SendRefusalReason.DeviceUnavailable, "The linked WhatsApp device is off on this server (Channel:Device:Enabled).");
        var wait = await device.WaitForNewMessageAsync(ct);
        var handle = await outbox.WriteAsync(new OutboxEntry(MessageKind.Text, ChannelKind.Device, DeliveryPolicy.WhatsAppOnly, to, locale, purpose, text,
            NotBefore: wait?.Until), ct);
        return SendResult.Queue(handle, ChannelKind.Device);
    }

    private static SendRefusal? CheckButtons(ReplyButtons question, string text)
    {
        if (text.Length > ReplyButtons.MaxTextLength)
            return new SendRefusal(SendRefusalReason.InvalidText, $"A question with buttons is 1 to {ReplyButtons.MaxTextLength} characters.");
        var buttons = question.Buttons;
        if (buttons.Count is < 1 or > ReplyButtons.MaxButtons
            || buttons.Any(b => string.IsNullOrWhiteSpace(b.Title) || b.Title.Length > ReplyButtons.MaxTitleLength
                || string.IsNullOrEmpty(b.Payload) || b.Payload.Length > ReplyButtons.MaxPayloadLength)
            || buttons.Select(b => b.Payload).Distinct(StringComparer.Ordinal).Count() != buttons.Count)
            return new SendRefusal(SendRefusalReason.InvalidButtons,
                $"A question has 1 to {ReplyButtons.MaxButtons} buttons, each with a title of at most {ReplyButtons.MaxTitleLength} characters and its own payload of at most {ReplyButtons.MaxPayloadLength}.");
        // WhatsApp refuses a template parameter with a new line, a tab or more than four spaces in a row.
        if (question.TemplateParameters.Any(p => string.IsNullOrWhiteSpace(p) || p.Contains('\n') || p.Contains('\t') || p.Contains("     ")))
            return new SendRefusal(SendRefusalReason.InvalidButtons, "A template parameter is one line of text.");
        return null;
    }

    private static SendRefusal? CheckText(string text) => string.IsNullOrWhiteSpace(text) || text.Length > TextRequest.MaxLength
        ? new SendRefusal(SendRefusalReason.InvalidText, $"A text is 1 to {TextRequest.MaxLength} characters.")
        : null;
}
