using WaIdentity.IdP.Configuration;

namespace WaIdentity.IdP.Login.Password;

/// <summary>
/// Section "Login:Password": how fast anyone may guess passwords. One set of rules for the password page, the account
/// API's login and re-authentication. There is no hard lock a stranger can trigger: a client address runs out of
/// tries, and one account asked from one address waits longer after each failure, while the owner elsewhere is untouched.
/// </summary>
internal sealed class PasswordRules
{
    /// <summary>Failed password tries per client IP per 15 minutes, whichever accounts they name (successes are not counted).</summary>
    public int FailuresPerIpPer15Minutes { get; set; } = 10;
    /// <summary>Failures for one account from one IP before the growing delays start (30 s, doubling).</summary>
    public int FailuresBeforeDelay { get; set; } = 5;
    /// <summary>The longest delay between tries for one account from one IP.</summary>
    public int MaxDelaySeconds { get; set; } = 900;

    public IEnumerable<string> Validate(string s) =>
        OptionRules.InRange($"{s}:FailuresPerIpPer15Minutes", FailuresPerIpPer15Minutes, 1, 10_000)
            .Concat(OptionRules.InRange($"{s}:FailuresBeforeDelay", FailuresBeforeDelay, 1, 100))
            .Concat(OptionRules.InRange($"{s}:MaxDelaySeconds", MaxDelaySeconds, 30, 86_400));
}
