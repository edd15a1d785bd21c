using WaIdentity.WaChannel.Codes;
using WaIdentity.WaChannel.Outbox;

namespace WaIdentity.WaChannel.Providers;

/// <param name="Content">The code (Kind Code) or the text (Kind Text and Question), in clear, only in memory.</param>
/// <param name="Buttons">The reply buttons of a Question; a provider without buttons sends <paramref name="Content"/> alone.</param>
internal sealed record OutgoingMessage(Guid Id, MessageKind Kind, string Phone, string Locale, string Content, ReplyButtons? Buttons = null);

/// <summary>Unknown: the call ran out of time; the provider may have accepted the message all the same.</summary>
internal enum SendResultKind { Accepted, Transient, Permanent, Unknown }

/// <summary>What a provider said to one send: accepted (with its id), try again later, or never.</summary>
/// <param name="Error">Short and fit to show a user; never a secret or the code.</param>
internal sealed record ProviderSendResult(SendResultKind Kind, string? ProviderMessageId = null, string? WaId = null, string? ErrorCode = null, string? Error = null)
{
    public static ProviderSendResult Accepted(string id, string? waId) => new(SendResultKind.Accepted, id, waId);
    public static ProviderSendResult Transient(string code, string error) => new(SendResultKind.Transient, ErrorCode: code, Error: error);
    public static ProviderSendResult Permanent(string code, string error) => new(SendResultKind.Permanent, ErrorCode: code, Error: error);
    public const string TimeoutCode = "timeout";
    /// <summary>The provider's circuit breaker is open: the call was not made.</summary>
    public const string CircuitOpenCode = "circuit_open";
    public static ProviderSendResult Unknown() => new(SendResultKind.Unknown, ErrorCode: TimeoutCode, Error: "The provider did not answer in time.");
}

/// <summary>One channel's HTTP API. Implementations classify errors; the dispatcher decides retries from that.</summary>
internal interface IMessageProvider
{
    ChannelKind Channel { get; }
    Task<ProviderSendResult> SendAsync(OutgoingMessage message, CancellationToken ct);
}
