using System.Diagnostics.CodeAnalysis;

namespace WaIdentity.WaChannel.Codes;

/// <summary>Why the channel refused a send. Grouped by what helps: fixing the request, configuring a channel, another
/// number (the toll-fraud rules), or waiting (the limits, which always say how long).</summary>
public enum SendRefusalReason
{
    InvalidPhone, InvalidCode, InvalidText, InvalidButtons, InvalidGroup,
    SmsNotAllowed, SmsUnavailable, WhatsAppUnavailable, NoChannel, GroupsUnavailable, DeviceUnavailable,
    CountryNotAllowed, PrefixDenied, NumberTypeDenied,
    PhoneLimit, IpLimit, PrefixLimit, IpCountryLimit, IpBudgetShare, PrefixBudgetShare, CountryLimit, DailyBudget,
}

/// <summary>A send the channel refused before writing anything; nothing was sent.</summary>
/// <param name="Message">English, for logs, operators and API callers (it may name settings); a page shows its own words.</param>
/// <param name="RetryAfter">Set for every limit: how long until the same send would be accepted. Null when waiting does not help.</param>
public sealed record SendRefusal(SendRefusalReason Reason, string Message, TimeSpan? RetryAfter = null)
{
    /// <summary>The number may never be sent to (country allow-list, denied prefixes, premium-rate numbers).</summary>
    public bool NumberNotAllowed => Reason is SendRefusalReason.CountryNotAllowed or SendRefusalReason.PrefixDenied or SendRefusalReason.NumberTypeDenied;

    /// <summary>No channel can carry the message as asked (not configured, not allowed by the policy, device off).</summary>
    public bool NoChannel => Reason is SendRefusalReason.SmsNotAllowed or SendRefusalReason.SmsUnavailable or SendRefusalReason.WhatsAppUnavailable
        or SendRefusalReason.NoChannel or SendRefusalReason.GroupsUnavailable or SendRefusalReason.DeviceUnavailable;

    /// <summary>The reason in snake case ("phone_limit"), as metrics and API answers name it.</summary>
    public string Code => string.Concat(Reason.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}

/// <summary>What a send came to: queued on <see cref="Channel"/> (its <see cref="Handle"/> reads its delivery state), or
/// refused with nothing written.</summary>
public sealed record SendResult
{
    private SendResult(MessageHandle handle, ChannelKind channel, SendRefusal? refusal) => (Handle, Channel, Refusal) = (handle, channel, refusal);

    public MessageHandle Handle { get; }

    /// <summary>The first channel the message goes out on (Sms when WhatsApp cannot carry it and the policy allows SMS).</summary>
    public ChannelKind Channel { get; }

    public SendRefusal? Refusal { get; }

    [MemberNotNullWhen(false, nameof(Refusal))]
    public bool Queued => Refusal is null;

    public static SendResult Queue(MessageHandle handle, ChannelKind channel) => new(handle, channel, null);

    public static implicit operator SendResult(SendRefusal refusal) => new(default, default, refusal);
}

/// <summary>The channel a send would go out on now, or why none can carry it.</summary>
public sealed record ChannelDecision(ChannelKind Channel, SendRefusal? Refusal)
{
    [MemberNotNullWhen(false, nameof(Refusal))]
    public bool CanSend => Refusal is null;
}
