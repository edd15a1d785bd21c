using WaIdentity.WaChannel.Codes;
using WaIdentity.WaChannel.Delivery;

namespace WaIdentity.WaChannel.Outbox;

/// <summary>
/// The IdP's entry point: checks the request, chooses the channel and checks the send limits, writes the message to
/// the outbox (before any network call) and wakes the dispatcher. Delivery happens in the background.
/// </summary>
internal sealed class CodeSender(
    OutboxWriter outbox, ChannelAvailabilityReader availability, SendLimiter limiter, DeliveryStatusReader statuses) : ICodeSender
{
    public ChannelAvailability Availability => availability.Current;

    public ChannelDecision Choose(DeliveryPolicy policy, ChannelKind? preferred = null) => ChannelChooser.Choose(availability.Current, policy, preferred);

    public async Task<SendResult> SendCodeAsync(CodeRequest request, CancellationToken ct = default)
    {
        if (!PhoneNumber.IsE164(request.Phone))
            return new SendRefusal(SendRefusalReason.InvalidPhone, "The phone number must be in international format, like +6281234567890.");
        if (request.Code.Length is 0 or > 15 || !request.Code.All(char.IsAsciiLetterOrDigit))
            return new SendRefusal(SendRefusalReason.InvalidCode, "A code is 1 to 15 ASCII letters or digits.");
        var choice = Choose(request.Policy, request.Preferred);
        if (!choice.CanSend) return choice.Refusal;
        if (await limiter.CheckAsync(request.Phone, request.ClientIp, ct) is { } limited) return limited;

        var handle = await outbox.WriteAsync(new OutboxEntry(MessageKind.Code, choice.Channel, request.Policy, request.Phone, request.Locale,
            request.Purpose, request.Code, request.Suppressed, request.ClientIp), ct);
        return SendResult.Queue(handle, choice.Channel);
    }

    public Task<DeliveryStatus?> GetStatusAsync(MessageHandle handle, CancellationToken ct = default) => statuses.ReadAsync(handle.Id, ct);
}
