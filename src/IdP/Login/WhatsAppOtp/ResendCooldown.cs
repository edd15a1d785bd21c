using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WaIdentity.IdP.Persistence;
using WaIdentity.WaChannel.Queues;

namespace WaIdentity.IdP.Login.WhatsAppOtp;

/// <summary>
/// The wait before a code is sent again to the same phone, whichever browser asks: the base cooldown, doubled for each
/// send of the phone's current code, capped. It belongs to the phone (a new browser flow does not reset it); a code
/// that was used ends it, so the next login is not kept waiting. Switching channel is not a resend and skips it.
/// </summary>
internal sealed class ResendCooldown(IdpDbContext db, IOptionsMonitor<LoginOptions> options, TimeProvider clock)
{
    /// <summary>The wait shown to a browser: that of the latest code its flow may use.</summary>
    public async Task<TimeSpan> RemainingAsync(LoginFlow flow, CancellationToken ct)
    {
        var latest = await db.CodesOf(flow).AsNoTracking().OrderByDescending(c => c.CreatedAt).FirstOrDefaultAsync(ct);
        return latest is null ? TimeSpan.Zero : Remaining(latest);
    }

    public TimeSpan Remaining(OtpChallenge code)
    {
        if (code.ConsumedAt is not null) return TimeSpan.Zero;
        var remaining = code.SentAt + After(code.Sends) - clock.GetUtcNow();
        return remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero;
    }

    /// <summary>The wait after the <paramref name="sends"/>-th send of a code.</summary>
    public TimeSpan After(int sends)
    {
        var rules = options.CurrentValue.Otp;
        return new Backoff(TimeSpan.FromSeconds(rules.ResendCooldownSeconds), TimeSpan.FromSeconds(rules.MaxResendCooldownSeconds)).Delay(sends);
    }
}
