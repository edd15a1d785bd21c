namespace WaIdentity.WaChannel.Codes;

/// <summary>A send the channel refused before writing anything (bad input, a limit, no channel); nothing was sent.</summary>
/// <param name="Reason">Machine-readable: invalid_phone, invalid_code, no_channel, country_not_allowed, phone_limit, ip_limit, country_limit, daily_budget.</param>
public sealed class CodeSendRefusedException(string reason, string message) : Exception(message)
{
    public string Reason { get; } = reason;
}
