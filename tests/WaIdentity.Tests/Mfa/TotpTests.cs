using System.Text;
using WaIdentity.IdP.Login.SecondFactor;

namespace WaIdentity.Tests.Mfa;

/// <summary>Authenticator codes against the RFC test vectors, and the product's window and replay rules.</summary>
public sealed class TotpTests
{
    private static readonly byte[] RfcKey = Encoding.ASCII.GetBytes("12345678901234567890");

    [Theory]
    [InlineData(0, "755224")] [InlineData(1, "287082")] [InlineData(2, "359152")] [InlineData(3, "969429")] [InlineData(4, "338314")]
    [InlineData(5, "254676")] [InlineData(6, "287922")] [InlineData(7, "162583")] [InlineData(8, "399871")] [InlineData(9, "520489")]
    public void Hotp_matches_RFC_4226_appendix_D(long counter, string expected) =>
        Assert.Equal(expected, TestTotp.Hotp(RfcKey, counter));

    [Theory]
    [InlineData(59, "94287082")] [InlineData(1111111109, "07081804")] [InlineData(1111111111, "14050471")]
    [InlineData(1234567890, "89005924")] [InlineData(2000000000, "69279037")] [InlineData(20000000000, "65353130")]
    public void Totp_matches_RFC_6238_appendix_B_for_SHA1(long unixTime, string expected) =>
        Assert.Equal(expected, TestTotp.CodeAt(RfcKey, DateTimeOffset.FromUnixTimeSeconds(unixTime), digits: 8));

    [Fact]
    public void A_code_is_accepted_for_its_step_and_one_step_late_but_never_early_or_two_steps_late()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        var step = TestTotp.StepAt(now);
        Assert.Equal(step, AuthenticatorCode.Match(RfcKey, TestTotp.Hotp(RfcKey, step), now, 0));
        Assert.Equal(step - 1, AuthenticatorCode.Match(RfcKey, TestTotp.Hotp(RfcKey, step - 1), now, 0));
        Assert.Null(AuthenticatorCode.Match(RfcKey, TestTotp.Hotp(RfcKey, step - 2), now, 0));
        Assert.Null(AuthenticatorCode.Match(RfcKey, TestTotp.Hotp(RfcKey, step + 1), now, 0));
    }

    [Fact]
    public void A_used_step_and_earlier_steps_are_never_accepted_again()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        var step = TestTotp.StepAt(now);
        var code = TestTotp.Hotp(RfcKey, step);
        Assert.Equal(step, AuthenticatorCode.Match(RfcKey, code, now, step - 1));
        Assert.Null(AuthenticatorCode.Match(RfcKey, code, now, step));
        Assert.Null(AuthenticatorCode.Match(RfcKey, TestTotp.Hotp(RfcKey, step - 1), now, step));
    }

    [Theory]
    [InlineData("12345")] [InlineData("1234567")] [InlineData("12a456")] [InlineData("")]
    public void Malformed_codes_are_refused(string code) =>
        Assert.Null(AuthenticatorCode.Match(RfcKey, code, DateTimeOffset.UtcNow, 0));

    [Theory]
    [InlineData("f", "MY")] [InlineData("fo", "MZXQ")] [InlineData("foo", "MZXW6")]
    [InlineData("foob", "MZXW6YQ")] [InlineData("fooba", "MZXW6YTB")] [InlineData("foobar", "MZXW6YTBOI")]
    public void The_manual_key_is_RFC_4648_base32_without_padding_and_round_trips(string text, string encoded)
    {
        Assert.Equal(encoded, AuthenticatorCode.ToBase32(Encoding.ASCII.GetBytes(text)));
        Assert.Equal(text, Encoding.ASCII.GetString(TestTotp.Decode(encoded)));
    }
}
