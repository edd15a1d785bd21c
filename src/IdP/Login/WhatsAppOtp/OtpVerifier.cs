using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WaIdentity.IdP.Login.Phones;
using WaIdentity.IdP.Persistence;
using WaIdentity.IdP.RateLimiting;
using WaIdentity.IdP.Sessions;
using WaIdentity.WaChannel.Codes;

namespace WaIdentity.IdP.Login.WhatsAppOtp;

/// <summary>
/// Checks a typed code against the live code the flow may use (one per phone and purpose, shared by every browser
/// that asked for it). A match is consumed by one conditional UPDATE, so the same code submitted twice at once
/// succeeds exactly once. A miss costs the code one attempt, whichever browser typed it and however often the code
/// was re-sent, and the phone one failure. A login whose work after the consume was cut short (a crash, a lost
/// connection) is not lost with the code: the flow that used it may submit it again until the page has finished the
/// login (<see cref="FinishAsync"/>); any other flow is told it was used. One request at a time finishes: the consume
/// claims the code for <see cref="ClaimTime"/>, and taking an unfinished code over is one more conditional UPDATE.
/// </summary>
internal sealed class OtpVerifier(
    IdpDbContext db,
    OtpCodeHasher hasher,
    PhoneFailureGate failures,
    PhoneAccounts accounts,
    FixedWindowLimiter limiter,
    ICodeSender sender,
    IOptionsMonitor<LoginOptions> options,
    TimeProvider clock)
{
    /// <summary>How long a request that consumed a code holds it while it makes the session; longer than that work takes.</summary>
    public static readonly TimeSpan ClaimTime = TimeSpan.FromSeconds(30);

    public async Task<VerifyOutcome> VerifyAsync(LoginFlow flow, string? typed, HttpContext http, CancellationToken ct = default)
    {
        var proof = await ProveAsync(flow, typed, http, finishesLater: true, ct);
        return proof.Challenge is { } challenge ? await SucceedAsync(flow, challenge, ct) : proof.Failure!;
    }

    /// <summary>Marks the flow's used code as finished once its session exists: from now on it cannot be used again.</summary>
    public async Task FinishAsync(LoginFlow flow, CancellationToken ct = default)
    {
        var hash = flow.Hash;
        var now = clock.GetUtcNow();
        await db.Set<OtpChallenge>().Where(c => c.ConsumedByFlow == hash && c.FinishedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.FinishedAt, now), ct);
    }

    /// <summary>The login after the code failed (the exception is on its way up): the same flow may try again at once.</summary>
    public async Task ReleaseAsync(LoginFlow flow, CancellationToken ct = default)
    {
        var hash = flow.Hash;
        var now = clock.GetUtcNow();
        await db.Set<OtpChallenge>().Where(c => c.ConsumedByFlow == hash && c.FinishedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.ClaimedUntil, now), ct);
    }

    /// <summary>
    /// Proves only that the person holds the flow's phone, without finding or registering an account: a second factor
    /// for a known user, or a new number before it replaces the old one. Returns "wa" or "sms" (the channel that
    /// really carried the code) on success.
    /// </summary>
    public async Task<(string? Channel, VerifyOutcome? Failure)> VerifyPhoneAsync(LoginFlow flow, string? typed, HttpContext http, CancellationToken ct = default)
    {
        var proof = await ProveAsync(flow, typed, http, finishesLater: false, ct);
        if (proof.Challenge is not { } challenge) return (null, proof.Failure);
        await failures.ClearAsync(flow.Phone, ct);
        return (await DeliveredByAsync(challenge, ct), null);
    }

    /// <param name="finishesLater">The caller calls <see cref="FinishAsync"/> when its work is done; until then the
    /// flow may prove itself again with the same code.</param>
    private async Task<(OtpChallenge? Challenge, VerifyOutcome? Failure)> ProveAsync(
        LoginFlow flow, string? typed, HttpContext http, bool finishesLater, CancellationToken ct)
    {
        var rules = options.CurrentValue.Otp;
        var code = AsciiDigits.Read(typed, c => c is ' ' or '-' || AsciiDigits.IsInvisible(c));
        if (code is null || code.Length != rules.CodeLength) return (null, VerifyOutcome.Failed(CodeFailure.Format));
        var byIp = await limiter.HitAsync("login.otp.verify.ip", ClientIp.Of(http), rules.VerifiesPerIpPerHour, TimeSpan.FromHours(1), ct);
        if (!byIp.Allowed) return (null, VerifyOutcome.Failed(CodeFailure.TooManyTries, wait: byIp.RetryAfter(clock.GetUtcNow())));
        if (await failures.CheckAsync(flow.Phone, ct) is { } blocked) return (null, VerifyOutcome.Failed(blocked.Locked ? CodeFailure.PhoneLocked : CodeFailure.FailureWait, wait: blocked.Wait));

        var now = clock.GetUtcNow();
        if (finishesLater && await UnfinishedAsync(flow, code, now, ct) is { } unfinished)
            return await ClaimAsync(unfinished.Id, flow, now, ct) ? (unfinished, null) : (null, VerifyOutcome.Failed(CodeFailure.Used));
        var live = await Live(flow, now).ToListAsync(ct);
        if (live.Count == 0) return (null, VerifyOutcome.Failed(await DeadReasonAsync(flow, ct)));

        var match = live.FirstOrDefault(c => hasher.Matches(c.Id, code, c.CodeHash));
        if (match is not null && await ConsumeAsync(match.Id, flow, now, finishesLater, ct)) return (match, null);
        if (match is not null) return (null, VerifyOutcome.Failed(CodeFailure.Used));
        return (null, await FailAsync(flow, now, ct));
    }

    private IQueryable<OtpChallenge> Live(LoginFlow flow, DateTimeOffset now)
    {
        var max = options.CurrentValue.Otp.MaxAttempts;
        return db.CodesOf(flow).Where(c => c.ConsumedAt == null && c.ExpiresAt > now && c.Attempts < max);
    }

    /// <summary>The code this flow used for a login that never finished, when the same code was typed again.</summary>
    private async Task<OtpChallenge?> UnfinishedAsync(LoginFlow flow, string code, DateTimeOffset now, CancellationToken ct)
    {
        var hash = flow.Hash;
        var unfinished = await db.CodesOf(flow)
            .Where(c => c.ConsumedByFlow == hash && c.ConsumedAt != null && c.FinishedAt == null && c.ExpiresAt > now).ToListAsync(ct);
        return unfinished.FirstOrDefault(c => hasher.Matches(c.Id, code, c.CodeHash));
    }

    /// <summary>Takes over the flow's unfinished code, unless another request of the flow holds it right now.</summary>
    private async Task<bool> ClaimAsync(string id, LoginFlow flow, DateTimeOffset now, CancellationToken ct)
    {
        var hash = flow.Hash;
        return await db.Set<OtpChallenge>()
            .Where(c => c.Id == id && c.ConsumedByFlow == hash && c.FinishedAt == null && (c.ClaimedUntil == null || c.ClaimedUntil <= now))
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.ClaimedUntil, now + ClaimTime), ct) == 1;
    }

    private async Task<bool> ConsumeAsync(string id, LoginFlow flow, DateTimeOffset now, bool finishesLater, CancellationToken ct)
    {
        var max = options.CurrentValue.Otp.MaxAttempts;
        var hash = flow.Hash;
        DateTimeOffset? finished = finishesLater ? null : now;
        return await db.Set<OtpChallenge>()
            .Where(c => c.Id == id && c.ConsumedAt == null && c.ExpiresAt > now && c.Attempts < max)
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.ConsumedAt, now).SetProperty(c => c.ProtectedCode, (string?)null)
                .SetProperty(c => c.ConsumedByFlow, hash).SetProperty(c => c.FinishedAt, finished)
                .SetProperty(c => c.ClaimedUntil, finishesLater ? now + ClaimTime : null), ct) == 1;
    }

    private async Task<VerifyOutcome> SucceedAsync(LoginFlow flow, OtpChallenge challenge, CancellationToken ct)
    {
        await failures.ClearAsync(flow.Phone, ct);
        var user = await accounts.FindOrRegisterAsync(flow.Phone, ct);
        if (user is null) return VerifyOutcome.Failed(CodeFailure.Wrong, options.CurrentValue.Otp.MaxAttempts - challenge.Attempts - 1);
        return new VerifyOutcome(user.Id, [AuthenticationLevels.AmrOtp, await DeliveredByAsync(challenge, ct)], null);
    }

    /// <summary>The channel that really carried the code (SMS after a fallback), for amr.</summary>
    private async Task<string> DeliveredByAsync(OtpChallenge challenge, CancellationToken ct)
    {
        if (challenge.MessageId is null || !Guid.TryParse(challenge.MessageId, out var id)) return challenge.RequestedChannel;
        var status = await sender.GetStatusAsync(new MessageHandle(id), ct);
        return status is null ? challenge.RequestedChannel
            : status.Channel == ChannelKind.Sms ? AuthenticationLevels.AmrSms : AuthenticationLevels.AmrWhatsApp;
    }

    private async Task<VerifyOutcome> FailAsync(LoginFlow flow, DateTimeOffset now, CancellationToken ct)
    {
        var max = options.CurrentValue.Otp.MaxAttempts;
        // A code that dies here drops its sealed copy too: it will never be sent again.
        await Live(flow, now).ExecuteUpdateAsync(u => u
            .SetProperty(c => c.Attempts, c => c.Attempts + 1)
            .SetProperty(c => c.ProtectedCode, c => c.Attempts + 1 >= max ? null : c.ProtectedCode), ct);
        await failures.RecordFailureAsync(flow.Phone, ct);
        var used = await db.CodesOf(flow).Where(c => c.ConsumedAt == null && c.ExpiresAt > now)
            .Select(c => (int?)c.Attempts).MinAsync(ct) ?? options.CurrentValue.Otp.MaxAttempts;
        var left = Math.Max(0, options.CurrentValue.Otp.MaxAttempts - used);
        return left == 0 ? VerifyOutcome.Failed(CodeFailure.Dead, 0) : VerifyOutcome.Failed(CodeFailure.Wrong, left);
    }

    private async Task<CodeFailure> DeadReasonAsync(LoginFlow flow, CancellationToken ct)
    {
        var latest = await db.CodesOf(flow)
            .OrderByDescending(c => c.CreatedAt).FirstOrDefaultAsync(ct);
        return latest is null ? CodeFailure.NoCode
            : latest.Attempts >= options.CurrentValue.Otp.MaxAttempts ? CodeFailure.Dead
            : latest.ConsumedAt is not null ? CodeFailure.Used
            : CodeFailure.Expired;
    }
}
