using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using WaIdentity.IdP.Login.SendCode;
using WaIdentity.IdP.Persistence;
using WaIdentity.WaChannel.Inbound;

namespace WaIdentity.IdP.Gateway;

/// <summary>The callback body of a validated verification, with WhatsAuth's fields beside ours: the numbers that
/// proved themselves (<c>authorized_numbers</c>, here the one sender) and <c>error</c> (null: nothing went wrong).</summary>
public sealed record VerificationCallback(string Id, string Status, string VerificationCode, string PhoneNumber, string? ProfileName,
    DateTimeOffset RequestedAt, DateTimeOffset ValidatedAt, DateTimeOffset ExpiresAt)
{
    public IReadOnlyList<string> AuthorizedNumbers => [PhoneNumber];
    public string? Error => null;
}

/// <summary>
/// Claims inbound messages that carry a verification code (so they are never forwarded to apps). A live code is
/// marked validated with the sender's number (once: the update only matches an unvalidated row) and its signed
/// callback is queued. Only a fresh message validates (<see cref="InboundFreshness"/>): a replayed or long-delayed
/// one, or one sent before the code was requested, proves nothing.
/// </summary>
public sealed partial class VerificationInbound(IdpDbContext db, WebhookQueue webhooks, TimeProvider clock, ILogger<VerificationInbound> log) : IInboundMessageSubscriber
{
    public async Task<bool> OnInboundAsync(InboundMessage message, CancellationToken ct)
    {
        var match = CodePattern().Match(message.Text);
        if (!match.Success) return false;
        var code = match.Value.ToUpperInvariant();
        var hash = SendCodeIssuer.Hash(code);
        var now = clock.GetUtcNow();
        if (InboundFreshness.IsStale(message, now))
        {
            log.LogInformation("Verification message: ignored (sent {Age} ago)", now - message.SentAt);
            return true;
        }
        var notAfter = InboundFreshness.CodesCreatedBy(message);
        var validated = await db.Set<PhoneVerification>().Where(v => v.CodeHash == hash && v.ValidatedAt == null && v.ExpiresAt > now && v.RequestedAt <= notAfter)
            .ExecuteUpdateAsync(u => u.SetProperty(v => v.ValidatedAt, now).SetProperty(v => v.Phone, message.Phone)
                .SetProperty(v => v.ProfileName, message.ProfileName), ct);
        log.LogInformation("Verification message: {Outcome}", validated > 0 ? "validated" : "no live code");
        if (validated == 0) return true;
        var row = await db.Set<PhoneVerification>().AsNoTracking().FirstAsync(v => v.CodeHash == hash && v.ValidatedAt == now, ct);
        if (row.CallbackUrl is not null)
            await webhooks.EnqueueAsync(row.ClientId, "verification", row.CallbackUrl,
                new VerificationCallback(row.Id, "validated", code, row.Phone!, row.ProfileName, row.RequestedAt, now, row.ExpiresAt), ct);
        return true;
    }

    [GeneratedRegex("WAV-[A-Z2-9]{8}", RegexOptions.IgnoreCase)]
    private static partial Regex CodePattern();
}
