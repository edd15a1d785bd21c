using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Infrastructure;

namespace WaIdentity.Tests.Channel;

public sealed class ChannelConfigurationTests
{
    [Theory]
    [InlineData("Channel:Dispatch:MaxAttempts", "0", "Channel:Dispatch:MaxAttempts: must be between 1 and 50 (was 0)")]
    [InlineData("Channel:Fallback:DeliveredWithinSeconds", "0", "Channel:Fallback:DeliveredWithinSeconds: must be between 1 and 3600 (was 0)")]
    [InlineData("Channel:Fallback:CodeWhatsAppSeconds", "90", "Channel:Fallback:CodeWhatsAppSeconds: must be between 1 and 60 (was 90)")]
    [InlineData("Channel:Mode", "Carrier-pigeon", "Channel:Mode: must be Auto, Sandbox or Live (was 'Carrier-pigeon')")]
    [InlineData("Channel:Sms:BaseUrl", "ftp://sms", "Channel:Sms:BaseUrl: must be an absolute http(s) URL (was 'ftp://sms')")]
    [InlineData("Channel:Limits:AllowedCountryCodes:0", "+62", "Channel:Limits:AllowedCountryCodes: '+62' is not a country calling code (digits, e.g. 62, or * for every country)")]
    [InlineData("Channel:Limits:DeniedPrefixes:0", "+882", "Channel:Limits:DeniedPrefixes: '+882' is not a number prefix (digits without '+', e.g. 882)")]
    [InlineData("Channel:Limits:CountriesPerIpPerDay", "0", "Channel:Limits:CountriesPerIpPerDay: must be between 1 and 300 (was 0)")]
    [InlineData("Channel:Limits:IpShareOfDailyBudgetPercent", "101", "Channel:Limits:IpShareOfDailyBudgetPercent: must be between 1 and 100 (was 101)")]
    public async Task A_bad_channel_setting_stops_start_up_with_one_line_naming_it(string key, string value, string expected)
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        var settings = new Dictionary<string, string?>(db.Settings) { [key] = value };

        var result = await IdpProcess.RunAsync([], settings);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.StdErr);
    }

    [Fact]
    public async Task Sandbox_mode_is_refused_in_production()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        var settings = new Dictionary<string, string?>(db.Settings) { ["Channel:Mode"] = "Sandbox", ["ASPNETCORE_ENVIRONMENT"] = "Production" };

        var result = await IdpProcess.RunAsync([], settings);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Channel:Mode: Sandbox is only allowed in Development (it exposes the dev inbox; this is Production)", result.StdErr);
    }

    [Fact]
    public async Task The_dev_inbox_and_emulators_do_not_exist_outside_sandbox()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, new Dictionary<string, string?>
        {
            ["Channel:Mode"] = "Live", ["Channel:PublicBaseUrl"] = "https://idp.example", ["Channel:Sms:AccountSid"] = "AC1", ["Channel:Sms:AuthToken"] = "t", ["Channel:Sms:From"] = "+15005550006",
        });
        using var client = server.CreateClient();

        await WaIdentity.Tests.Hosting.SandboxOutsideDevelopmentTests.AssertSandboxAbsentAsync(server, client);
    }
}
