using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using WaIdentity.IdP.Persistence;
using WaIdentity.IdP.Sessions;
using WaIdentity.WaChannel.Inbound;

namespace WaIdentity.IdP.Login.SendCode;

/// <summary>
/// An inbound WhatsApp message carrying a live send-code proves the sender's number for that one challenge.
/// With a login_hint, a message from another number refuses the challenge instead (it cannot be proven later).
/// Only a fresh message counts (<see cref="InboundFreshness"/>).
/// </summary>
public sealed partial class SendCodeInbound(IdpDbContext db, TimeProvider clock, ILogger<SendCodeInbound> log) : IInboundMessageSubscriber
{
    public async Task<bool> OnInboundAsync(InboundMessage message, CancellationToken ct)
    {
        var match = CodePattern().Match(message.Text);
        if (!match.Success) return false;
        var hash = SendCodeIssuer.Hash(match.Value.ToUpperInvariant());
        var now = clock.GetUtcNow();
        if (InboundFreshness.IsStale(message, now))
        {
            log.LogInformation("Send-code message: ignored (sent {Age} ago)", now - message.SentAt);
            return true;
        }
        var notAfter = InboundFreshness.CodesCreatedBy(message);
        var live = db.Set<SendCodeChallenge>().Where(c => c.CodeHash == hash && c.ProvenPhone == null && !c.Refused && c.ExpiresAt > now && c.CreatedAt <= notAfter);
        var login = await live.Select(c => new { c.TraceParent }).FirstOrDefaultAsync(ct);
        using var trace = login is null ? null : LoginTracing.StartVerify(login.TraceParent, AuthenticationLevels.AmrWhatsApp);
        var proven = await live.Where(c => c.ExpectedPhone == null || c.ExpectedPhone == message.Phone)
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.ProvenPhone, message.Phone).SetProperty(c => c.ProfileName, message.ProfileName), ct);
        var refused = proven == 0 ? await live.ExecuteUpdateAsync(u => u.SetProperty(c => c.Refused, true), ct) : 0;
        trace?.SetTag(LoginTracing.OutcomeTag, proven > 0 ? "success" : "refused");
        log.LogInformation("Send-code message: {Outcome}", proven > 0 ? "proven" : refused > 0 ? "refused (not the hinted number)" : "no live code");
        return true;
    }

    [GeneratedRegex("WAID-[A-Z2-9]{8}", RegexOptions.IgnoreCase)]
    private static partial Regex CodePattern();
}
