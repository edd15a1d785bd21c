using Microsoft.AspNetCore.Identity;
using WaIdentity.IdP.Users;

namespace WaIdentity.IdP.Login.Password;

internal enum PasswordCheckOutcome { Succeeded, Failed, Throttled }

/// <param name="User">Set when <see cref="PasswordCheckOutcome.Succeeded"/>.</param>
/// <param name="RetryAfter">Set when <see cref="PasswordCheckOutcome.Throttled"/>.</param>
internal sealed record PasswordCheckResult(PasswordCheckOutcome Outcome, IdpUser? User = null, TimeSpan RetryAfter = default)
{
    public bool Succeeded => Outcome == PasswordCheckOutcome.Succeeded;
}

/// <summary>
/// The one password check, for the password page, the account API and re-authentication. Every branch (unknown
/// e-mail, an account without a password, a locked account, a throttled try, a wrong and a right password) verifies
/// exactly one password hash, so the answer time does not tell which accounts exist or are locked (ASVS 6.3.8).
/// Unknown e-mail, wrong password and locked account are one outcome, <see cref="PasswordCheckOutcome.Failed"/>.
/// Failures never lock the account (a stranger could lock anyone out); <see cref="PasswordThrottle"/> slows the guesser.
/// </summary>
internal sealed class PasswordCheck(UserManager<IdpUser> users, IPasswordHasher<IdpUser> hasher, PasswordThrottle throttle, ILogger<PasswordCheck> log)
{
    private static readonly IdpUser Nobody = new() { Id = "nobody" };
    private static readonly string DummyHash = new PasswordHasher<IdpUser>().HashPassword(Nobody, "not-a-real-password");

    /// <summary>A login: the account named by its e-mail address.</summary>
    public async Task<PasswordCheckResult> CheckAsync(string email, string password, string clientIp, CancellationToken ct) =>
        await CheckAsync(await users.FindByEmailAsync(email.Trim()), email, password, clientIp, ct);

    /// <summary>Re-authentication: the signed-in account.</summary>
    public Task<PasswordCheckResult> CheckAsync(IdpUser user, string password, string clientIp, CancellationToken ct) =>
        CheckAsync(user, user.Email ?? user.Id, password, clientIp, ct);

    private async Task<PasswordCheckResult> CheckAsync(IdpUser? user, string account, string password, string clientIp, CancellationToken ct)
    {
        var (attempt, wait) = await throttle.BeginAsync(account, clientIp, ct);
        if (wait is { } retryAfter)
        {
            SpendDummyHash(password);
            log.LogInformation("Password try refused: too many failures from this address");
            return new(PasswordCheckOutcome.Throttled, RetryAfter: retryAfter);
        }
        if (user?.PasswordHash is null)
        {
            SpendDummyHash(password);
            await throttle.FailedAsync(attempt, ct);
            log.LogInformation("Password login failed: no such account");
            return new(PasswordCheckOutcome.Failed);
        }
        // The hash first, the lock second: a locked account costs the same as any other.
        var right = await users.CheckPasswordAsync(user, password);
        if (!right || await users.IsLockedOutAsync(user))
        {
            await throttle.FailedAsync(attempt, ct);
            log.LogInformation("Password login failed for user {UserId}{Locked}", user.Id, right ? " (locked)" : "");
            return new(PasswordCheckOutcome.Failed);
        }
        await throttle.SucceededAsync(attempt, ct);
        return new(PasswordCheckOutcome.Succeeded, user);
    }

    private void SpendDummyHash(string password) => hasher.VerifyHashedPassword(Nobody, DummyHash, password);
}
