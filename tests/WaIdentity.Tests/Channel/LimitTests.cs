using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.WaChannel.Codes;
using static WaIdentity.Tests.Channel.ChannelTestKit;

namespace WaIdentity.Tests.Channel;

/// <summary>Abuse limits refuse a send with a clear reason and send nothing.</summary>
public sealed class LimitTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_sixth_code_to_one_phone_in_an_hour_is_refused_and_not_sent(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var server = await IdpTestServer.StartAsync(db, Settings(("Channel:Limits:PerPhonePerHour", "5")));
        var phone = NewPhone();
        for (var i = 0; i < 5; i++) await SendAsync(server, phone, $"10000{i}");

        var refused = await RefusedSendAsync(server, phone, "100005");

        Assert.Equal(SendRefusalReason.PhoneLimit, refused.Reason);
        Assert.Contains("Too many codes were sent to this number", refused.Message);
        Assert.InRange(refused.RetryAfter!.Value, TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(60)); // when the first of the five ages out
        await InboxWhenAsync(server, phone, i => i.Count == 5);
        await QuietAsync(server);
        Assert.DoesNotContain(await InboxAsync(server, phone), i => i.Code == "100005");
        Assert.Equal(5, (await MessagesToAsync(server, phone)).Count);
        await SendAsync(server, NewPhone(), "200000"); // another phone is not affected
    }

    [Fact]
    public async Task A_country_outside_the_allow_list_is_refused()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, Settings(("Channel:Limits:AllowedCountryCodes:0", "62")));

        var refused = await RefusedSendAsync(server, "+14155550100", "123456");
        await SendAsync(server, NewPhone(), "123456");

        Assert.Equal(SendRefusalReason.CountryNotAllowed, refused.Reason);
        Assert.Empty(await MessagesToAsync(server, "+14155550100"));
    }

    [Fact]
    public async Task A_number_that_is_not_e164_is_refused_before_anything_is_written()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, Settings());

        var refused = await RefusedSendAsync(server, "0812-3456-7890", "123456");

        Assert.Equal(SendRefusalReason.InvalidPhone, refused.Reason);
    }
}
