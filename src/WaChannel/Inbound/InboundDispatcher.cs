using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using WaIdentity.WaChannel.Outbox;
using WaIdentity.WaChannel.Persistence;

namespace WaIdentity.WaChannel.Inbound;

/// <summary>
/// Normalises an inbound message (the WhatsApp id becomes the E.164 number we sent to under that id, else "+" and
/// the digits; never a fuzzy match), drops duplicates by provider id, and hands it to every subscriber.
/// </summary>
internal sealed class InboundDispatcher(
    ChannelDbContext db, IEnumerable<IInboundMessageSubscriber> subscribers, IEnumerable<IUnclaimedInboundHandler> unclaimedHandlers,
    TimeProvider clock, ILogger<InboundDispatcher> log)
{
    /// <param name="raw">Phone holds the provider's sender id (a WhatsApp id: digits without '+').</param>
    public async Task AcceptAsync(InboundMessage raw, CancellationToken ct)
    {
        if (raw.ProviderMessageId.Length == 0) return;
        var phone = await ResolvePhoneAsync(raw.Phone, ct);
        if (phone is null) return;
        if (!await RecordOnceAsync(raw.ProviderMessageId, phone, ct)) return;
        var message = raw with { Phone = phone, ProfileName = raw.ProfileName?.Trim() is { Length: > 0 } n ? n[..Math.Min(n.Length, 100)] : null };
        var claimed = false;
        foreach (var subscriber in subscribers)
            claimed |= await SafelyAsync(() => subscriber.OnInboundAsync(message, ct));
        if (claimed) return;
        foreach (var handler in unclaimedHandlers)
            await SafelyAsync(async () => { await handler.OnUnclaimedAsync(message, ct); return true; });
    }

    /// <summary>One failing subscriber must not keep the message from the others.</summary>
    private async Task<bool> SafelyAsync(Func<Task<bool>> call)
    {
        try { return await call(); }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning(e, "An inbound message subscriber failed");
            return false;
        }
    }

    private async Task<string?> ResolvePhoneAsync(string waId, CancellationToken ct) =>
        await db.Set<OutboundMessage>().Where(m => m.WaId == waId).OrderByDescending(m => m.CreatedAt).Select(m => m.Phone).FirstOrDefaultAsync(ct)
        ?? PhoneNumber.FromDigits(waId);

    private Task<bool> RecordOnceAsync(string providerId, string phone, CancellationToken ct) =>
        db.InsertOnceAsync(new InboundMessageRecord { ProviderMessageId = providerId, Phone = phone, ReceivedAt = clock.GetUtcNow() },
            r => r.ProviderMessageId == providerId, ct);
}
