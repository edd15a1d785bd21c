namespace WaIdentity.WaChannel.Codes;

/// <summary>A send the channel refused before writing anything (bad input, a limit, no channel); nothing was sent.</summary>
/// <param name="Reason">Machine-readable: invalid_phone, invalid_code, no_channel, country_not_allowed, phone_limit, ip_limit, country_limit, daily_budget.</param>
/// <param name="RetryAfter">For the limits: how long until the same send would be accepted; null when waiting does not help.</param>
public sealed class CodeSendRefusedException(string reason, string message, TimeSpan? retryAfter = null) : Exception(message)
{
    public string Reason { get; } = reason;

    public TimeSpan? RetryAfter { get; } = retryAfter;
}
