using Microsoft.Extensions.Options;
using WaIdentity.IdP.Login.Passkeys;
using WaIdentity.IdP.RateLimiting;
using WaIdentity.IdP.Sessions;

namespace WaIdentity.IdP.Login.SecondFactor;

/// <summary>Why a second factor was refused; <see cref="LoginMessages"/> words it.</summary>
internal enum FactorFailure
{
    CodeFormat, CodeWrong, RecoveryWrong,
    /// <summary>The user's allowance of tries is used up (with a wait).</summary>
    TooManyTries,
    /// <summary>The passkey was refused; <see cref="FactorOutcome.Passkey"/> says why.</summary>
    Passkey,
    /// <summary>The password throttle holds the account (with a wait).</summary>
    PasswordThrottled,
    PasswordWrong,
}

/// <summary>The amr a verified factor adds, or why it was refused.</summary>
internal sealed record FactorOutcome(IReadOnlyList<string>? Amr, FactorFailure? Failure, TimeSpan? Wait = null, PasskeyFailure? Passkey = null)
{
    public bool Succeeded => Amr is not null;
    public static FactorOutcome Failed(FactorFailure failure, TimeSpan? wait = null) => new(null, failure, wait);
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
        if (code.Length != AuthenticatorCode.Digits) return FactorOutcome.Failed(FactorFailure.CodeFormat);
        if (await ThrottledAsync(userId, ct) is { } wait) return FactorOutcome.Failed(FactorFailure.TooManyTries, wait);
        return await totp.VerifyAsync(userId, code, ct) ? new([AuthenticationLevels.AmrOtp], null) : FactorOutcome.Failed(FactorFailure.CodeWrong);
    }

    public async Task<FactorOutcome> VerifyRecoveryCodeAsync(string userId, string? typed, CancellationToken ct)
    {
        if (await ThrottledAsync(userId, ct) is { } wait) return FactorOutcome.Failed(FactorFailure.TooManyTries, wait);
        return await recovery.UseAsync(userId, typed ?? "", ct) ? new([SecondFactorAmr.RecoveryCode], null) : FactorOutcome.Failed(FactorFailure.RecoveryWrong);
    }

    /// <summary>Takes one try from the user's allowance; null when allowed, else how long to wait.</summary>
    public async Task<TimeSpan?> ThrottledAsync(string userId, CancellationToken ct)
    {
        var decision = await limiter.HitAsync("mfa.verify.user", userId, options.CurrentValue.SecondFactor.VerifiesPerUserPer15Minutes, TimeSpan.FromMinutes(15), ct);
        return decision.Allowed ? null : decision.RetryAfter(clock.GetUtcNow());
    }
}
