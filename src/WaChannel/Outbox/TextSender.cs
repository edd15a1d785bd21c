using WaIdentity.WaChannel.Codes;

namespace WaIdentity.WaChannel.Outbox;

/// <summary>Checks a free text and queues it like a code. Callers own their own quotas (texts are not login codes).</summary>
public sealed class TextSender(OutboxWriter outbox, ChannelAvailabilityReader availability) : ITextSender
{
    public async Task<MessageHandle> SendTextAsync(TextRequest request, CancellationToken ct = default)
    {
        if (!PhoneNumber.IsE164(request.Phone))
            throw new CodeSendRefusedException("invalid_phone", "The phone number must be in international format, like +6281234567890.");
        if (string.IsNullOrWhiteSpace(request.Text) || request.Text.Length > TextRequest.MaxLength)
            throw new CodeSendRefusedException("invalid_text", $"A text is 1 to {TextRequest.MaxLength} characters.");
        var channel = ChannelChooser.Choose(availability, request.Policy, preferred: null);
        return await outbox.WriteAsync(new OutboxEntry(MessageKind.Text, channel, request.Policy, request.Phone, request.Locale, request.Purpose, request.Text), ct);
    }
}
