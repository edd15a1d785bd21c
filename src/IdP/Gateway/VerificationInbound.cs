using WaIdentity.IdP.Login.SendCode;
using WaIdentity.WaChannel.Inbound;

namespace WaIdentity.IdP.Gateway;

/// <summary>The callback body of a validated verification, with WhatsAuth's fields beside ours: the numbers that
/// proved themselves (<c>authorized_numbers</c>, here the one sender) and <c>error</c> (null: nothing went wrong).</summary>
internal sealed record VerificationCallback(string Id, string Status, string VerificationCode, string PhoneNumber, string? ProfileName,
    DateTimeOffset RequestedAt, DateTimeOffset ValidatedAt, DateTimeOffset ExpiresAt)
{
    public IReadOnlyList<string> AuthorizedNumbers => [PhoneNumber];
    public string? Error => null;
}

/// <summary>
/// Claims inbound messages that carry a verification code (so they are never forwarded to apps). A live code is proven
/// with the sender's number once (<see cref="SentCodeChallenges"/>: only a fresh message, sent after the code was
/// requested) and its signed callback is queued.
/// </summary>
internal sealed class VerificationInbound(SentCodeChallenges challenges, WebhookQueue webhooks, ILogger<VerificationInbound> log) : IInboundMessageSubscriber
{
    public async Task<bool> OnInboundAsync(InboundMessage message, CancellationToken ct)
    {
        var match = await challenges.ProveAsync<PhoneVerification>(VerificationCodeEndpoint.CodePrefix, message, ct);
        if (match.Claimed) log.LogInformation("Verification message: {Outcome}", match.Outcome);
        if (match is { Outcome: SentCodeOutcome.Proven, Challenge: { CallbackUrl: { } callback } row })
            await webhooks.EnqueueAsync(row.ClientId, "verification", callback, new VerificationCallback(row.Id, "validated", match.Code!,
                row.ProvenPhone!, row.ProfileName, row.CreatedAt, row.ProvenAt!.Value, row.ExpiresAt), ct);
        return match.Claimed;
    }
}
