using System.Security.Cryptography;

namespace WaIdentity.IdP.Login.SecondFactor;

/// <summary>
/// HOTP (RFC 4226) and TOTP (RFC 6238) with HMAC-SHA-1, 6 digits and 30-second steps, the parameters every
/// authenticator app understands. Verification accepts one step either side (RFC 6238 5.2: clock drift and typing
/// time) and only steps after the last one used, so an accepted code can never be replayed.
/// </summary>
public static class Totp
{
    public const int Digits = 6;
    public const int StepSeconds = 30;
    public const int Window = 1;

    public static long StepAt(DateTimeOffset time) => time.ToUnixTimeSeconds() / StepSeconds;

    /// <summary>RFC 4226 5.3: HMAC-SHA-1 over the big-endian counter, dynamic truncation, modulo 10^digits.</summary>
    public static string Hotp(byte[] key, long counter, int digits = Digits)
    {
        Span<byte> message = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(message, counter);
        Span<byte> mac = stackalloc byte[20];
        HMACSHA1.HashData(key, message, mac);
        var offset = mac[^1] & 0x0f;
        var binary = ((mac[offset] & 0x7f) << 24) | (mac[offset + 1] << 16) | (mac[offset + 2] << 8) | mac[offset + 3];
        return (binary % (int)Math.Pow(10, digits)).ToString().PadLeft(digits, '0');
    }

    public static string CodeAt(byte[] key, DateTimeOffset time, int digits = Digits) => Hotp(key, StepAt(time), digits);

    /// <summary>The step whose code matches, within the window and after <paramref name="lastUsedStep"/>; else null.</summary>
    public static long? Match(byte[] key, string code, DateTimeOffset now, long lastUsedStep)
    {
        if (code.Length != Digits || !code.All(char.IsAsciiDigit)) return null;
        var current = StepAt(now);
        long? found = null;
        // Every candidate is compared (no early exit), in constant time.
        for (var step = current - Window; step <= current + Window; step++)
        {
            var expected = System.Text.Encoding.ASCII.GetBytes(Hotp(key, step));
            var equal = CryptographicOperations.FixedTimeEquals(expected, System.Text.Encoding.ASCII.GetBytes(code));
            if (equal && step > lastUsedStep && found is null) found = step;
        }
        return found;
    }

    /// <summary>A new 160-bit secret (RFC 4226 4: the length of the HMAC-SHA-1 output).</summary>
    public static byte[] NewSecret() => RandomNumberGenerator.GetBytes(20);
}
