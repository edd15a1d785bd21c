using OtpNet;

namespace WaIdentity.IdP.Login.SecondFactor;

/// <summary>
/// Authenticator-app codes (TOTP, RFC 6238) through Otp.NET, with the parameters every app understands: HMAC-SHA-1,
/// 6 digits, 30-second steps. A code is accepted for its own step and one step back (RFC 6238 5.2: at most one step of
/// network delay) and only for a step after the last one used, so an accepted code can never be replayed.
/// </summary>
internal static class AuthenticatorCode
{
    public const int Digits = 6;
    public const int StepSeconds = 30;
    private static readonly VerificationWindow OneStepBack = new(previous: 1, future: 0);

    /// <summary>A new 160-bit secret (RFC 4226 4: the length of the HMAC-SHA-1 output).</summary>
    public static byte[] NewSecret() => KeyGeneration.GenerateRandomKey(20);

    /// <summary>RFC 4648 base32 without padding: the manual key and the otpauth URI's secret.</summary>
    public static string ToBase32(byte[] bytes) => Base32Encoding.ToString(bytes).TrimEnd('=');

    /// <summary>The matching step when <paramref name="code"/> is valid now and its step is after <paramref name="lastUsedStep"/>.</summary>
    public static long? Match(byte[] secret, string code, DateTimeOffset now, long lastUsedStep)
    {
        if (code.Length != Digits || !code.All(char.IsAsciiDigit)) return null;
        var totp = new Totp(secret, StepSeconds, OtpHashMode.Sha1, Digits);
        return totp.VerifyTotp(now.UtcDateTime, code, out var step, OneStepBack) && step > lastUsedStep ? step : null;
    }
}
