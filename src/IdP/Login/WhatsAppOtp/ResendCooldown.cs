using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WaIdentity.IdP.Persistence;

namespace WaIdentity.IdP.Login.WhatsAppOtp;

/// <summary>
/// The wait before another code in the same login attempt: the base cooldown, doubled for each code already sent,
/// capped. It belongs to the flow (Authgear #2868), so starting again is never a rate-limit error.
/// </summary>
public sealed class ResendCooldown(IdpDbContext db, IOptionsMonitor<LoginOptions> options, TimeProvider clock)
{
    public async Task<TimeSpan> RemainingAsync(LoginFlow flow, CancellationToken ct)
    {
        var sent = await db.Set<OtpChallenge>().Where(c => c.FlowHash == flow.Hash)
            .Select(c => c.CreatedAt).ToListAsync(ct);
        if (sent.Count == 0) return TimeSpan.Zero;
        var remaining = sent.Max() + After(sent.Count) - clock.GetUtcNow();
        return remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero;
    }

    /// <summary>The wait after the <paramref name="codesSent"/>-th code.</summary>
    public TimeSpan After(int codesSent)
    {
        var rules = options.CurrentValue.Otp;
        var seconds = rules.ResendCooldownSeconds * Math.Pow(2, Math.Min(codesSent - 1, 20));
        return TimeSpan.FromSeconds(Math.Min(seconds, rules.MaxResendCooldownSeconds));
    }
}
