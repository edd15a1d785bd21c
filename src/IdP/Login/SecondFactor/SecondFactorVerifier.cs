using Microsoft.Extensions.Options;
using WaIdentity.IdP.RateLimiting;
using WaIdentity.IdP.Sessions;

namespace WaIdentity.IdP.Login.SecondFactor;

/// <summary>The amr a verified factor adds, or the resource key of why it was refused.</summary>
internal sealed record FactorOutcome(IReadOnlyList<string>? Amr, string? ErrorKey, TimeSpan? Wait = null)
{
    public bool Succeeded => Amr is not null;
    public static FactorOutcome Failed(string key, TimeSpan? wait = null) => new(null, key, wait);
}

/// <summary>
/// Checks an authenticator code or a recovery code for a user, at most <c>VerifiesPerUserPer15Minutes</c> tries per
/// user (a 6-digit code must be throttled: NIST 800-63B 3.2.2).
/// </summary>
internal sealed class SecondFactorVerifier(TotpStore totp, RecoveryCodeStore recovery, FixedWindowLimiter limiter, IOptionsMonitor<LoginOptions> options, TimeProvider clock)
{
    public async Task<FactorOutcome> VerifyTotpAsync(string userId, string? typed, CancellationToken ct)
    {
        var code = new string((typed ?? "").Where(char.IsAsciiDigit).ToArray());
        if (code.Length != AuthenticatorCode.Digits) return FactorOutcome.Failed("Mfa_CodeFormat");
        if (await ThrottledAsync(userId, ct) is { } wait) return FactorOutcome.Failed("Mfa_TooManyTries", wait);
        return await totp.VerifyAsync(userId, code, ct) ? new([AuthenticationLevels.AmrOtp], null) : FactorOutcome.Failed("Mfa_CodeWrong");
    }

    public async Task<FactorOutcome> VerifyRecoveryCodeAsync(string userId, string? typed, CancellationToken ct)
    {
        if (await ThrottledAsync(userId, ct) is { } wait) return FactorOutcome.Failed("Mfa_TooManyTries", wait);
        return await recovery.UseAsync(userId, typed ?? "", ct) ? new([SecondFactorAmr.RecoveryCode], null) : FactorOutcome.Failed("Mfa_RecoveryWrong");
    }

    /// <summary>Takes one try from the user's allowance; null when allowed, else how long to wait.</summary>
    public async Task<TimeSpan?> ThrottledAsync(string userId, CancellationToken ct)
    {
        var decision = await limiter.HitAsync("mfa.verify.user", userId, options.CurrentValue.SecondFactor.VerifiesPerUserPer15Minutes, TimeSpan.FromMinutes(15), ct);
        return decision.Allowed ? null : decision.RetryAfter(clock.GetUtcNow());
    }
}
