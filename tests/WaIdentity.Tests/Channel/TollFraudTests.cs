using System.Text.RegularExpressions;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.Tests.Login;
using WaIdentity.WaChannel.Codes;
using static WaIdentity.Tests.Channel.ChannelTestKit;

namespace WaIdentity.Tests.Channel;

/// <summary>
/// SMS pumping defaults, tried from outside as an attacker would: codes only to the home country unless more are
/// allowed, never to non-geographic or premium prefixes, a few countries per IP a day, a velocity limit per number
/// block, and daily shares per IP and per block before the global budget. Every refusal is generic and counted.
/// </summary>
public sealed class TollFraudTests
{
    private const string Generic = "We cannot send a code to this number.";

    [Fact]
    public async Task By_default_codes_go_only_to_the_default_country_and_the_refusal_is_counted()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, Settings(("Login:DefaultCountryCode", "62")));

        var refused = await PostPhoneAsync(server.CreateClient(), "+44 7400 123456");
        await LoginForms.StartAsync(server.CreateClient(), NewPhone());

        Assert.Contains(Generic, refused);
        Assert.Empty(await MessagesToAsync(server, "+447400123456"));
        Assert.Equal(1, await RefusedAsync(server, "country_not_allowed"));
    }

    [Fact]
    public async Task Non_geographic_and_premium_numbers_are_refused_even_when_every_country_is_allowed()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, Settings(("Channel:Limits:AllowedCountryCodes:0", "*")));

        // Eight sequential numbers in +882 (international networks), the pattern seen in SMS pumping.
        for (var i = 0; i < 8; i++)
            Assert.Equal(SendRefusalReason.PrefixDenied, (await RefusedSendAsync(server, $"+88213456789{i}", "123456")).Reason);
        Assert.Equal(SendRefusalReason.NumberTypeDenied, (await RefusedSendAsync(server, "+449098790000", "123456")).Reason); // UK premium rate
        await SendAsync(server, "+447400123456", "123456");

        Assert.Equal(8, await RefusedAsync(server, "prefix_denied"));
        Assert.Equal(1, await RefusedAsync(server, "number_type_denied"));
    }

    [Fact]
    public async Task One_ip_gets_codes_for_at_most_three_countries_a_day()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, Settings(("Channel:Limits:AllowedCountryCodes:0", "*")));

        foreach (var phone in new[] { "+62 812 3456 7001", "+91 98765 43210", "+55 11 98765 4321", "+62 812 3456 7002" })
            await LoginForms.StartAsync(server.CreateClient(), phone);
        var fourth = await PostPhoneAsync(server.CreateClient(), "+1 415 555 2671");

        Assert.Contains("Too many codes were requested", fourth);
        Assert.Empty(await MessagesToAsync(server, "+14155552671"));
        Assert.Equal(1, await RefusedAsync(server, "ip_country_limit"));
    }

    [Fact]
    public async Task Sequential_numbers_of_one_block_meet_the_per_prefix_limit_and_other_blocks_do_not()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, Settings(("Channel:Limits:PerPrefixPerHour", "3")));

        for (var i = 1; i <= 3; i++) await LoginForms.StartAsync(server.CreateClient(), $"+62 812 3456 700{i}");
        var fourth = await PostPhoneAsync(server.CreateClient(), "+62 812 3456 7004");
        await LoginForms.StartAsync(server.CreateClient(), "+62 812 3456 8001");

        Assert.Contains("Too many codes were requested", fourth);
        Assert.Empty(await MessagesToAsync(server, "+6281234567004"));
        Assert.Equal(1, await RefusedAsync(server, "prefix_limit"));
    }

    [Fact]
    public async Task One_ip_spends_only_its_share_of_the_daily_budget_and_others_still_get_codes()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, Settings(
            ("Channel:Limits:DailyBudget", "40"), ("Channel:Limits:IpShareOfDailyBudgetPercent", "5")));

        await LoginForms.StartAsync(server.CreateClient(), NewPhone());
        await LoginForms.StartAsync(server.CreateClient(), NewPhone());
        var third = await PostPhoneAsync(server.CreateClient(), NewPhone());
        await SendAsync(server, NewPhone(), "123456"); // a send without that IP (another network) still goes

        Assert.Contains("Too many codes were requested", third);
        Assert.Equal(1, await RefusedAsync(server, "ip_budget_share"));
    }

    private static async Task<string> PostPhoneAsync(HttpClient client, string phone) =>
        await (await LoginForms.PostAsync(client, "/login", "/login", ("Phone", phone), ("ReturnUrl", "/"))).Content.ReadAsStringAsync();

    private static async Task<int> RefusedAsync(IdpTestServer server, string reason)
    {
        var text = await server.CreateClient().GetStringAsync("/metrics");
        var match = Regex.Match(text, $"^waidentity_code_sends_refused_total\\{{reason=\"{reason}\"\\}} ([0-9]+)$", RegexOptions.Multiline);
        return match.Success ? int.Parse(match.Groups[1].Value) : 0;
    }
}
