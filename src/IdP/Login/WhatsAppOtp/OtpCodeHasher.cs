using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace WaIdentity.IdP.Login.WhatsAppOtp;

/// <summary>
/// Codes at rest are HMAC-SHA-256 under a server key that is not in the database: a 6-digit code has only a million
/// values, so a plain or salted hash in a stolen database would fall at once. The challenge id is mixed in so equal
/// codes never have equal hashes.
/// </summary>
internal sealed class OtpCodeHasher
{
    // Development only (start-up refuses an empty key elsewhere): stable so a restart keeps codes valid.
    private static readonly byte[] DevelopmentKey = SHA256.HashData("WaIdentity development OTP key, never for production"u8);
    private readonly byte[] _key;

    public OtpCodeHasher(IOptionsMonitor<LoginOptions> options) =>
        _key = options.CurrentValue.Otp.CodeHashKey is { Length: > 0 } k ? Convert.FromBase64String(k) : DevelopmentKey;

    public string Hash(string challengeId, string code) =>
        Convert.ToHexString(HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes($"{challengeId}:{code}")));

    public bool Matches(string challengeId, string code, string storedHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(challengeId, code)), Encoding.ASCII.GetBytes(storedHash));

    public static string NewCode(int length) =>
        RandomNumberGenerator.GetInt32(0, (int)Math.Pow(10, length)).ToString($"D{length}");
}
