using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WaIdentity.WaChannel.Codes;
using WaIdentity.WaChannel.Configuration;
using WaIdentity.WaChannel.Delivery;
using WaIdentity.WaChannel.Persistence;

namespace WaIdentity.WaChannel.Outbox;

/// <summary>
/// The IdP's entry point: checks the request and the send limits, writes the message to the outbox (before any
/// network call) and wakes the dispatcher. Delivery happens in the background.
/// </summary>
public sealed class CodeSender(
    ChannelDbContext db, PayloadProtector protector, DispatchSignal signal, ChannelAvailabilityReader availability,
    SendLimiter limiter, DeliveryStatusReader statuses, IOptions<ChannelOptions> options, TimeProvider clock) : ICodeSender
{
    public ChannelAvailability Availability => availability.Current;

    public async Task<MessageHandle> SendCodeAsync(CodeRequest request, CancellationToken ct = default)
    {
        if (!PhoneNumber.IsE164(request.Phone))
            throw new CodeSendRefusedException("invalid_phone", "The phone number must be in international format, like +6281234567890.");
        if (request.Code.Length is 0 or > 15 || !request.Code.All(char.IsAsciiLetterOrDigit))
            throw new CodeSendRefusedException("invalid_code", "A code is 1 to 15 ASCII letters or digits.");
        var channel = ChooseChannel(request);
        await limiter.CheckAsync(request.Phone, request.ClientIp, ct);

        var now = clock.GetUtcNow();
        var message = new OutboundMessage
        {
            Id = Guid.NewGuid(), Kind = MessageKind.Code, Channel = channel, Policy = request.Policy,
            Phone = request.Phone, Locale = request.Locale, Purpose = request.Purpose, Payload = protector.Protect(request.Code),
            Suppressed = request.Suppressed, ClientIp = request.ClientIp, NextAttemptAt = now, CreatedAt = now, UpdatedAt = now,
            State = request.Suppressed ? DeliveryState.Sent : DeliveryState.Queued,
            Dispatch = request.Suppressed ? DispatchState.Accepted : DispatchState.Pending,
            DeliverBy = channel == ChannelKind.WhatsApp && request.Policy == DeliveryPolicy.WhatsAppOrSms
                ? now.AddSeconds(options.Value.Fallback.DeliveredWithinSeconds) : null,
        };
        db.Add(message);
        db.Add(new MessageStatusEvent { MessageId = message.Id, State = message.State, At = now });
        await db.SaveChangesAsync(ct);
        if (!request.Suppressed) signal.Notify();
        return new MessageHandle(message.Id);
    }

    public Task<DeliveryStatus?> GetStatusAsync(MessageHandle handle, CancellationToken ct = default) => statuses.ReadAsync(handle.Id, ct);

    private ChannelKind ChooseChannel(CodeRequest request)
    {
        var wanted = request.Preferred == ChannelKind.Sms || request.Policy == DeliveryPolicy.SmsOnly ? ChannelKind.Sms : ChannelKind.WhatsApp;
        if (request.Preferred == ChannelKind.Sms && request.Policy == DeliveryPolicy.WhatsAppOnly)
            throw new CodeSendRefusedException("no_channel", "SMS is not allowed for this code.");
        if (availability.Has(wanted)) return wanted;
        if (wanted == ChannelKind.WhatsApp && request.Policy == DeliveryPolicy.WhatsAppOrSms && availability.Has(ChannelKind.Sms))
            return ChannelKind.Sms;
        throw new CodeSendRefusedException("no_channel", $"{(wanted == ChannelKind.Sms ? "SMS" : "WhatsApp")} is not configured, so the code cannot be sent.");
    }
}
