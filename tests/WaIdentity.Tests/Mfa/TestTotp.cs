using OtpNet;

namespace WaIdentity.Tests.Mfa;

/// <summary>What an authenticator app computes (Otp.NET, the library the product verifies with), for tests to type.</summary>
public static class TestTotp
{
    public static long StepAt(DateTimeOffset time) => time.ToUnixTimeSeconds() / 30;

    public static string Hotp(byte[] key, long step) => new Hotp(key).ComputeHOTP(step);

    public static string CodeAt(byte[] key, DateTimeOffset time, int digits = 6) => new Totp(key, totpSize: digits).ComputeTotp(time.UtcDateTime);

    public static byte[] Decode(string base32) => Base32Encoding.ToBytes(base32);
}
