using WaIdentity.Tests.Infrastructure;

namespace WaIdentity.Tests.Mfa;

/// <summary>Bad Login:SecondFactor settings stop the real executable with one line naming the key.</summary>
public sealed class SecondFactorConfigurationTests
{
    [Theory]
    [InlineData("Login:SecondFactor:Required", "Sometimes", "Login:SecondFactor:Required: must be one of Off, Optional, Required (got 'Sometimes')")]
    [InlineData("Login:SecondFactor:RememberDeviceDays", "365", "Login:SecondFactor:RememberDeviceDays: must be between 0 and 90 (got 365)")]
    [InlineData("Login:SecondFactor:IssuerName", "Wa:Id", "Login:SecondFactor:IssuerName: must not contain ':' (it separates issuer and account in otpauth URIs)")]
    public async Task An_invalid_second_factor_setting_exits_with_one_line_naming_the_key(string key, string value, string expected)
    {
        var dbFile = Path.Combine(Path.GetTempPath(), $"waid-mfa-cfg-{Guid.NewGuid():N}.db");
        var result = await IdpProcess.RunAsync([], new Dictionary<string, string?>
        {
            [key] = value,
            ["Database:ConnectionString"] = $"Data Source={dbFile}",
        });

        Assert.Equal(2, result.ExitCode);
        var lines = result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"Configuration error: {expected}", Assert.Single(lines).Trim());
    }
}
