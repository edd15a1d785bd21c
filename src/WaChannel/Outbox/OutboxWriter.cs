using Microsoft.Extensions.Options;
using WaIdentity.WaChannel.Codes;
using WaIdentity.WaChannel.Configuration;
using WaIdentity.WaChannel.Persistence;
using WaIdentity.WaChannel.Telemetry;

namespace WaIdentity.WaChannel.Outbox;

/// <param name="Content">The code or the text in clear; stored encrypted.</param>
/// <param name="NotBefore">Held until then (a message for a device that cannot send yet); it may be released sooner.</param>
internal sealed record OutboxEntry(
    MessageKind Kind, ChannelKind Channel, DeliveryPolicy Policy, string Phone, string Locale, string Purpose, string Content,
    bool Suppressed = false, string? ClientIp = null, DateTimeOffset? NotBefore = null);

/// <summary>
/// Writes one message and its first status event to the outbox, then wakes the dispatcher. Nothing leaves the
/// machine before this commit, so a crash after it never loses the message.
/// </summary>
internal sealed class OutboxWriter(ChannelDbContext db, PayloadProtector protector, DispatchSignal signal, IOptions<ChannelOptions> options, TimeProvider clock)
{
    public async Task<MessageHandle> WriteAsync(OutboxEntry entry, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var message = new OutboundMessage
        {
            Id = Guid.NewGuid(), Kind = entry.Kind, Channel = entry.Channel, Policy = entry.Policy,
            Phone = entry.Phone, Locale = entry.Locale, Purpose = entry.Purpose, Payload = protector.Protect(entry.Content),
            Suppressed = entry.Suppressed, ClientIp = entry.ClientIp, NextAttemptAt = now, CreatedAt = now, UpdatedAt = now,
            TraceParent = ChannelTracing.CurrentTraceParent(),
            State = entry.Suppressed ? DeliveryState.Sent : DeliveryState.Queued,
            Dispatch = entry.Suppressed ? DispatchState.Accepted : DispatchState.Pending,
            DeliverBy = entry.Channel == ChannelKind.WhatsApp && entry.Policy == DeliveryPolicy.WhatsAppOrSms
                ? now.AddSeconds(options.Value.Fallback.DeliveredWithinSeconds) : null,
        };
        if (entry.NotBefore > now) message.NextAttemptAt = entry.NotBefore.Value;
        db.Add(message);
        db.Add(new MessageStatusEvent { MessageId = message.Id, State = message.State, At = now });
        await db.SaveChangesAsync(ct);
        if (!entry.Suppressed) signal.Notify();
        return new MessageHandle(message.Id);
    }
}
