namespace WaIdentity.IdP.Login.WhatsAppOtp;

/// <param name="UserId">Set on success.</param>
/// <param name="Amr">RFC 8176 values of what really happened, e.g. ["otp", "wa"].</param>
/// <param name="ErrorKey">Resource key of the message to show.</param>
/// <param name="AttemptsLeft">For a wrong code that is still alive.</param>
internal sealed record VerifyOutcome(string? UserId, IReadOnlyList<string> Amr, string? ErrorKey, int? AttemptsLeft = null, TimeSpan? Wait = null)
{
    public bool Succeeded => UserId is not null;

    public static VerifyOutcome Failed(string key, int? attemptsLeft = null, TimeSpan? wait = null) => new(null, [], key, attemptsLeft, wait);
}
