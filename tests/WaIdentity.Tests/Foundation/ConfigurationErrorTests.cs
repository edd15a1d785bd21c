using WaIdentity.Tests.Infrastructure;

namespace WaIdentity.Tests.Foundation;

/// <summary>A bad setting stops the real executable with a non-zero code and one line naming the key.</summary>
public sealed class ConfigurationErrorTests
{
    [Theory]
    [InlineData("Database:Provider", "Oracle", "Database:Provider: must be one of Sqlite, PostgreSQL, SqlServer (got 'Oracle')")]
    [InlineData("Sessions:IdleTimeoutHours", "-5", "Sessions:IdleTimeoutHours: must be between 1 and 720 (got -5)")]
    [InlineData("Hosting:TrustedProxies:0", "not-an-ip", "Hosting:TrustedProxies:0: must be an IP address (got 'not-an-ip')")]
    [InlineData("Login:SecondFactor:Required", "Sometimes", "Login:SecondFactor:Required: must be one of Off, Optional, Required (got 'Sometimes')")]
    [InlineData("Login:SecondFactor:RememberDeviceDays", "365", "Login:SecondFactor:RememberDeviceDays: must be between 0 and 90 (got 365)")]
    [InlineData("Login:SecondFactor:IssuerName", "Wa:Id", "Login:SecondFactor:IssuerName: must not contain ':' (it separates issuer and account in otpauth URIs)")]
    [InlineData("Login:PasswordRegistration", "maybe", "Login:PasswordRegistration: must be true or false (got 'maybe')")]
    [InlineData("Login:Password:FailuresPerIpPer15Minutes", "0", "Login:Password:FailuresPerIpPer15Minutes: must be between 1 and 10000 (got 0)")]
    [InlineData("Channel:WhatsApp:QuestionTemplate:Name", "device_approval", "Channel:WhatsApp:QuestionTemplate:Languages: name the template's language for each locale, e.g. Languages:en = en_US")]
    [InlineData("Gateway:Account:Compatibility", "Wapi", "Gateway:Account:Compatibility: must be one of Default, Wapiz (got 'Wapi')")]
    public async Task Invalid_option_exits_with_one_line_naming_the_key(string key, string value, string expected)
    {
        var dbFile = Path.Combine(Path.GetTempPath(), $"waid-cfg-{Guid.NewGuid():N}.db");
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
