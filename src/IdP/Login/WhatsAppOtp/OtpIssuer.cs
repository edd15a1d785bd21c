using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WaIdentity.IdP.Persistence;
using WaIdentity.IdP.Sessions;
using WaIdentity.IdP.Users;
using WaIdentity.WaChannel.Codes;

namespace WaIdentity.IdP.Login.WhatsAppOtp;

/// <summary>
/// Sends a code for a login flow: first code, resend and "send by SMS instead" alike. A phone holds one live code per
/// purpose: while it lives, every send (another browser asking too) re-sends that same code, and a new code is made
/// only once it expired, was used, or died of wrong attempts. Resends wait out the phone's growing cooldown; a switch
/// of channel does not (it is not a resend). Which channel carries the code and how many sends a phone or a network may
/// have are the channel's decisions (<c>Channel:Limits</c>): it refuses with a typed reason and, for a limit, the time to wait.
/// </summary>
internal sealed class OtpIssuer(
    IdpDbContext db,
    ICodeSender sender,
    OtpCodeHasher hasher,
    OtpCodeProtector protector,
    ResendCooldown cooldown,
    IOptionsMonitor<LoginOptions> options,
    TimeProvider clock,
    ILogger<OtpIssuer> log)
{
    public Task<CodeRequestOutcome> SendAsync(LoginFlow flow, HttpContext http, bool bySms, CancellationToken ct = default) =>
        SendAsync(flow, http, bySms, OtpPurposes.Login, ct);

    /// <param name="purpose">"login", or e.g. "mfa" / "phone-change": those go to a phone the user already holds or
    /// chose while signed in, so they are sent whether or not an account has that phone.</param>
    public async Task<CodeRequestOutcome> SendAsync(LoginFlow flow, HttpContext http, bool bySms, string purpose, CancellationToken ct)
    {
        var o = options.CurrentValue;
        var live = await LiveCodeAsync(flow.Phone, purpose, ct);
        var joined = live is not null && await JoinAsync(live, flow, ct);
        // A resend keeps the channel the person last chose; only asking for SMS while the code went by WhatsApp is a switch.
        var switching = live is not null && bySms && live.RequestedChannel != AuthenticationLevels.AmrSms;
        bySms |= live?.RequestedChannel == AuthenticationLevels.AmrSms;
        if (live is not null && !switching && cooldown.Remaining(live) is var wait && wait > TimeSpan.Zero)
        {
            await db.SaveChangesAsync(ct);
            // A browser joining a code sent moments ago (a second tab, "use another number" and back) just types it.
            return joined ? new CodeRequestOutcome(true, CodeNotice.AlreadySent) : new CodeRequestOutcome(false, ResendWait: wait);
        }

        var code = protector.Unprotect(live?.ProtectedCode);
        if (live is not null && code is null)
        {
            // Its sealed copy can no longer be opened (the key ring changed): retire it rather than hold two codes.
            live.ExpiresAt = clock.GetUtcNow();
            live = null;
        }
        var testNumber = o.TestNumbers.Matches(flow.Phone);
        code ??= testNumber ? o.TestNumbers.FixedCode! : OtpCodeHasher.NewCode(o.Otp.CodeLength);

        // No account and no self-registration: nothing may reach that phone, yet a prober must not tell the cases
        // apart by answer or by time, so the code still takes the whole path, only suppressed like a test number's.
        var deliver = purpose != OtpPurposes.Login || o.AutoRegister || await HasAccountAsync(flow.Phone, ct);
        // The channel chooses the channel (SMS when asked for, or when WhatsApp cannot deliver and the policy allows it).
        var request = new CodeRequest(flow.Phone, code, purpose, Locale(), o.DeliveryPolicy, bySms ? ChannelKind.Sms : null,
            testNumber || !deliver, ClientIp.Of(http));
        var sent = await sender.SendCodeAsync(request, ct);
        if (!sent.Queued)
        {
            await db.SaveChangesAsync(ct);
            log.LogWarning("Login code refused by the channel: {Reason}", sent.Refusal.Reason);
            return new CodeRequestOutcome(false, Refusal: sent.Refusal);
        }

        var bySmsNow = sent.Channel == ChannelKind.Sms;
        var challenge = live ?? NewChallenge(flow, code, purpose);
        challenge.MessageId = sent.Handle.ToString();
        challenge.RequestedChannel = bySmsNow ? AuthenticationLevels.AmrSms : AuthenticationLevels.AmrWhatsApp;
        challenge.LastSentAt = clock.GetUtcNow();
        if (live is not null) challenge.Sends++;
        await db.SaveChangesAsync(ct);
        log.LogInformation("Login code {ChallengeId} {Action} via {Channel}{Test}", challenge.Id, live is null ? "queued" : "re-sent",
            challenge.RequestedChannel, testNumber ? " (test number, suppressed)" : deliver ? "" : " (no account, suppressed)");
        var notice = bySmsNow && !bySms && o.DeliveryPolicy != DeliveryPolicy.SmsOnly ? CodeNotice.SmsInstead
            : live is null ? CodeNotice.None
            : bySmsNow ? CodeNotice.ResentSms : CodeNotice.Resent;
        return new CodeRequestOutcome(true, notice);
    }

    /// <summary>The phone's code for this purpose that can still be typed (tracked, to count a re-send).</summary>
    private Task<OtpChallenge?> LiveCodeAsync(string phone, string purpose, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var max = options.CurrentValue.Otp.MaxAttempts;
        return db.Set<OtpChallenge>()
            .Where(c => c.Phone == phone && c.Purpose == purpose && c.ConsumedAt == null && c.ExpiresAt > now && c.Attempts < max)
            .OrderByDescending(c => c.CreatedAt).FirstOrDefaultAsync(ct);
    }

    /// <summary>Lets this flow use the live code too; true when it could not before.</summary>
    private async Task<bool> JoinAsync(OtpChallenge live, LoginFlow flow, CancellationToken ct)
    {
        var hash = flow.Hash;
        if (await db.Set<OtpChallengeFlow>().AnyAsync(f => f.ChallengeId == live.Id && f.FlowHash == hash, ct)) return false;
        db.Set<OtpChallengeFlow>().Add(new OtpChallengeFlow { ChallengeId = live.Id, FlowHash = hash });
        return true;
    }

    private OtpChallenge NewChallenge(LoginFlow flow, string code, string purpose)
    {
        var now = clock.GetUtcNow();
        var id = Guid.NewGuid().ToString("N");
        var expires = now.AddSeconds(options.CurrentValue.Otp.LifetimeSeconds);
        var challenge = new OtpChallenge
        {
            Id = id, FlowHash = flow.Hash, Phone = flow.Phone, Purpose = purpose, CodeHash = hasher.Hash(id, code),
            ProtectedCode = protector.Protect(code), CreatedAt = now, ExpiresAt = expires,
        };
        db.Set<OtpChallenge>().Add(challenge);
        db.Set<OtpChallengeFlow>().Add(new OtpChallengeFlow { ChallengeId = id, FlowHash = flow.Hash });
        return challenge;
    }

    private Task<bool> HasAccountAsync(string phone, CancellationToken ct) =>
        db.Set<IdpUser>().AnyAsync(u => u.PhoneNumber == phone, ct);

    private static string Locale() => System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;
}
