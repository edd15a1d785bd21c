using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using WaIdentity.WaChannel.Codes;
using WaIdentity.WaChannel.Outbox;
using WaIdentity.WaChannel.Persistence;

namespace WaIdentity.WaChannel.Delivery;

/// <summary>
/// Sends the same code once by SMS when a WhatsApp try under WhatsAppOrSms failed or timed out. "Once" is enforced
/// in the database: the fallback row is written only by whoever sets the original's FallbackId from null.
/// </summary>
internal sealed class FallbackSender(
    ChannelDbContext db, DispatchSignal signal, ChannelAvailabilityReader availability, TimeProvider clock, ILogger<FallbackSender> log)
{
    public async Task<bool> TryFallBackAsync(Guid originalId, CancellationToken ct)
    {
        var original = await db.Set<OutboundMessage>().AsNoTracking().FirstOrDefaultAsync(m => m.Id == originalId, ct);
        if (original is null || original.Channel != ChannelKind.WhatsApp || original.Policy != DeliveryPolicy.WhatsAppOrSms
            || original.FallbackId is not null || !availability.Has(ChannelKind.Sms)) return false;

        var now = clock.GetUtcNow();
        var sms = new OutboundMessage
        {
            Id = Guid.NewGuid(), Kind = original.Kind, Channel = ChannelKind.Sms, Policy = original.Policy,
            Phone = original.Phone, Locale = original.Locale, Purpose = original.Purpose, Payload = original.Payload,
            ClientIp = original.ClientIp, FallbackOfId = original.Id, NextAttemptAt = now, CreatedAt = now, UpdatedAt = now,
            TraceParent = original.TraceParent,
        };
        var strategy = db.Database.CreateExecutionStrategy();
        var claimed = await strategy.ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var won = await db.Set<OutboundMessage>().Where(m => m.Id == original.Id && m.FallbackId == null)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.FallbackId, sms.Id).SetProperty(m => m.UpdatedAt, now), ct) == 1;
            if (!won) return false;
            db.Add(sms);
            db.Add(new MessageStatusEvent { MessageId = sms.Id, State = DeliveryState.Queued, At = now });
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return true;
        });
        if (!claimed) return false;
        log.LogInformation("Message {MessageId} falls back to SMS as {FallbackId}", original.Id, sms.Id);
        signal.Notify();
        return true;
    }
}
