namespace WaIdentity.IdP.Login.WhatsAppOtp;

/// <summary>Why a typed code was not accepted; <see cref="LoginMessages"/> words it.</summary>
internal enum CodeFailure
{
    /// <summary>Not the configured number of digits.</summary>
    Format,
    /// <summary>The address's hourly allowance of tries is used up (with a wait).</summary>
    TooManyTries,
    /// <summary>The phone reached the failure cap; code login stops until the count is forgotten.</summary>
    PhoneLocked,
    /// <summary>Too many wrong codes for the phone lately: the next try waits (with a wait).</summary>
    FailureWait,
    Used, Dead, NoCode, Expired,
    /// <summary>A wrong code, with the attempts left.</summary>
    Wrong,
}

/// <param name="UserId">Set on success.</param>
/// <param name="Amr">RFC 8176 values of what really happened, e.g. ["otp", "wa"].</param>
/// <param name="Failure">Why the code was refused; null on success.</param>
/// <param name="AttemptsLeft">For a wrong code that is still alive.</param>
internal sealed record VerifyOutcome(string? UserId, IReadOnlyList<string> Amr, CodeFailure? Failure, int? AttemptsLeft = null, TimeSpan? Wait = null)
{
    public bool Succeeded => UserId is not null;

    public static VerifyOutcome Failed(CodeFailure failure, int? attemptsLeft = null, TimeSpan? wait = null) => new(null, [], failure, attemptsLeft, wait);
}
