using System.Text;
using WaIdentity.IdP.Login.SecondFactor;

namespace WaIdentity.Tests.Mfa;

/// <summary>The TOTP implementation against the RFC test vectors, and the window and replay rules.</summary>
public sealed class TotpTests
{
    private static readonly byte[] RfcKey = Encoding.ASCII.GetBytes("12345678901234567890");

    [Theory]
    [InlineData(0, "755224")] [InlineData(1, "287082")] [InlineData(2, "359152")] [InlineData(3, "969429")] [InlineData(4, "338314")]
    [InlineData(5, "254676")] [InlineData(6, "287922")] [InlineData(7, "162583")] [InlineData(8, "399871")] [InlineData(9, "520489")]
    public void Hotp_matches_RFC_4226_appendix_D(long counter, string expected) =>
        Assert.Equal(expected, Totp.Hotp(RfcKey, counter));

    [Theory]
    [InlineData(59, "94287082")] [InlineData(1111111109, "07081804")] [InlineData(1111111111, "14050471")]
    [InlineData(1234567890, "89005924")] [InlineData(2000000000, "69279037")] [InlineData(20000000000, "65353130")]
    public void Totp_matches_RFC_6238_appendix_B_for_SHA1(long unixTime, string expected) =>
        Assert.Equal(expected, Totp.CodeAt(RfcKey, DateTimeOffset.FromUnixTimeSeconds(unixTime), digits: 8));

    [Fact]
    public void A_code_is_accepted_one_step_either_side_but_not_two()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        var step = Totp.StepAt(now);
        Assert.Equal(step - 1, Totp.Match(RfcKey, Totp.Hotp(RfcKey, step - 1), now, 0));
        Assert.Equal(step + 1, Totp.Match(RfcKey, Totp.Hotp(RfcKey, step + 1), now, 0));
        Assert.Null(Totp.Match(RfcKey, Totp.Hotp(RfcKey, step - 2), now, 0));
        Assert.Null(Totp.Match(RfcKey, Totp.Hotp(RfcKey, step + 2), now, 0));
    }

    [Fact]
    public void A_used_step_and_earlier_steps_are_never_accepted_again()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        var step = Totp.StepAt(now);
        var code = Totp.Hotp(RfcKey, step);
        Assert.Equal(step, Totp.Match(RfcKey, code, now, step - 1));
        Assert.Null(Totp.Match(RfcKey, code, now, step));
        Assert.Null(Totp.Match(RfcKey, Totp.Hotp(RfcKey, step - 1), now, step));
    }

    [Theory]
    [InlineData("12345")] [InlineData("1234567")] [InlineData("12a456")] [InlineData("")]
    public void Malformed_codes_are_refused(string code) =>
        Assert.Null(Totp.Match(RfcKey, code, DateTimeOffset.UtcNow, 0));

    [Theory]
    [InlineData("", "")] [InlineData("f", "MY")] [InlineData("fo", "MZXQ")] [InlineData("foo", "MZXW6")]
    [InlineData("foob", "MZXW6YQ")] [InlineData("fooba", "MZXW6YTB")] [InlineData("foobar", "MZXW6YTBOI")]
    public void Base32_matches_RFC_4648_and_round_trips(string text, string encoded)
    {
        Assert.Equal(encoded, Base32.Encode(Encoding.ASCII.GetBytes(text)));
        Assert.Equal(text, Encoding.ASCII.GetString(Base32.Decode(encoded.ToLowerInvariant())!));
    }
}
