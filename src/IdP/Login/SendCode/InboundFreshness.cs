using WaIdentity.WaChannel.Inbound;

namespace WaIdentity.IdP.Login.SendCode;

/// <summary>
/// When an inbound WhatsApp message may prove a code (a send-code login, a gateway phone verification): only a fresh
/// one. A message the provider says was sent more than <see cref="MaxAge"/> ago, or before the code existed, proves
/// nothing: a replayed or long-delayed delivery is not a person sending the code now.
/// </summary>
internal static class InboundFreshness
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    /// <summary>Provider timestamps are whole seconds from another clock: this much before the code still counts.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    public static bool IsStale(InboundMessage message, DateTimeOffset now) => message.SentAt < now - MaxAge;

    /// <summary>The latest creation time of a code this message can prove (a code made after it was sent cannot).</summary>
    public static DateTimeOffset CodesCreatedBy(InboundMessage message) => message.SentAt + ClockSkew;
}
