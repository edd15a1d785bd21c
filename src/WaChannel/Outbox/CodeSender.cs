using WaIdentity.WaChannel.Codes;
using WaIdentity.WaChannel.Delivery;

namespace WaIdentity.WaChannel.Outbox;

/// <summary>
/// The IdP's entry point: checks the request and the send limits, writes the message to the outbox (before any
/// network call) and wakes the dispatcher. Delivery happens in the background.
/// </summary>
public sealed class CodeSender(
    OutboxWriter outbox, ChannelAvailabilityReader availability, SendLimiter limiter, DeliveryStatusReader statuses) : ICodeSender
{
    public ChannelAvailability Availability => availability.Current;

    public async Task<MessageHandle> SendCodeAsync(CodeRequest request, CancellationToken ct = default)
    {
        if (!PhoneNumber.IsE164(request.Phone))
            throw new CodeSendRefusedException("invalid_phone", "The phone number must be in international format, like +6281234567890.");
        if (request.Code.Length is 0 or > 15 || !request.Code.All(char.IsAsciiLetterOrDigit))
            throw new CodeSendRefusedException("invalid_code", "A code is 1 to 15 ASCII letters or digits.");
        var channel = ChannelChooser.Choose(availability, request.Policy, request.Preferred);
        await limiter.CheckAsync(request.Phone, request.ClientIp, ct);

        return await outbox.WriteAsync(new OutboxEntry(MessageKind.Code, channel, request.Policy, request.Phone, request.Locale,
            request.Purpose, request.Code, request.Suppressed, request.ClientIp), ct);
    }

    public Task<DeliveryStatus?> GetStatusAsync(MessageHandle handle, CancellationToken ct = default) => statuses.ReadAsync(handle.Id, ct);
}
