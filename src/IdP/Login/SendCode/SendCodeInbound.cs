using WaIdentity.IdP.Sessions;
using WaIdentity.WaChannel.Inbound;

namespace WaIdentity.IdP.Login.SendCode;

/// <summary>
/// An inbound WhatsApp message carrying a live send-code proves the sender's number for that one challenge
/// (<see cref="SentCodeChallenges"/>). With a login_hint, a message from another number refuses the challenge instead
/// (it cannot be proven later). The proof is placed in the login's trace.
/// </summary>
internal sealed class SendCodeInbound(SentCodeChallenges challenges, ILogger<SendCodeInbound> log) : IInboundMessageSubscriber
{
    public async Task<bool> OnInboundAsync(InboundMessage message, CancellationToken ct)
    {
        var match = await challenges.ProveAsync<LoginSendCode>(SendCodeIssuer.CodePrefix, message, ct);
        if (match.Challenge is { } login)
        {
            using var trace = LoginTracing.StartVerify(login.TraceParent, AuthenticationLevels.AmrWhatsApp);
            trace?.SetTag(LoginTracing.OutcomeTag, match.Outcome == SentCodeOutcome.Proven ? "success" : "refused");
        }
        if (match.Claimed) log.LogInformation("Send-code message: {Outcome}", match.Outcome);
        return match.Claimed;
    }
}
