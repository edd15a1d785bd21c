using WaIdentity.IdP.Persistence;
using WaIdentity.IdP.Sessions;
using WaIdentity.IdP.Users;
using WaIdentity.Tests.Channel;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.WaChannel.Codes;

namespace WaIdentity.Tests.Admin;

public sealed class MessageAdminTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_log_shows_each_message_timeline_and_filters_by_phone_and_state(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var server = await IdpTestServer.StartAsync(db, ChannelTestKit.Settings());
        var admin = await SignedInSession.CreateUserAsync(server, "admin@example.com", Roles.Admin);
        using var portal = server.CreateClient(await SignedInSession.SignInAsync(server, admin.Id, AuthenticationLevels.TwoFactors));
        var phone = ChannelTestKit.NewPhone();
        var other = ChannelTestKit.NewPhone();
        var handle = await ChannelTestKit.SendAsync(server, phone, "123456");
        await ChannelTestKit.SendAsync(server, other, "654321");
        await ChannelTestKit.StatusWhenAsync(server, handle, s => s.State >= DeliveryState.Delivered);

        var byPhone = Table(await portal.GetStringAsync($"/admin/messages?phone={Uri.EscapeDataString(phone)}"));
        var failedOnly = Table(await portal.GetStringAsync($"/admin/messages?phone={Uri.EscapeDataString(phone)}&state=Failed"));
        var badPhone = await portal.GetStringAsync("/admin/messages?phone=0812");

        Assert.Contains(Html(phone), byPhone);
        Assert.DoesNotContain(Html(other), byPhone);
        Assert.Contains("<li>Sent ", byPhone);
        Assert.Contains("<li>Delivered ", byPhone);
        Assert.DoesNotContain("123456", byPhone);
        Assert.DoesNotContain(Html(phone), failedOnly);
        Assert.Contains("international form", badPhone);
    }

    /// <summary>The log table only, not the filter form that echoes the phone.</summary>
    private static string Table(string page) => page[page.IndexOf("id=\"messages\"", StringComparison.Ordinal)..];

    /// <summary>As Razor writes it ('+' becomes &amp;#x2B;).</summary>
    private static string Html(string text) => System.Text.Encodings.Web.HtmlEncoder.Default.Encode(text);

    [Fact]
    public async Task The_dashboard_draws_the_hours_and_counts_delivery_latency()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, ChannelTestKit.Settings());
        var admin = await SignedInSession.CreateUserAsync(server, "admin@example.com", Roles.Admin);
        using var portal = server.CreateClient(await SignedInSession.SignInAsync(server, admin.Id, AuthenticationLevels.TwoFactors));
        var handle = await ChannelTestKit.SendAsync(server, ChannelTestKit.NewPhone(), "123456");
        await ChannelTestKit.StatusWhenAsync(server, handle, s => s.State >= DeliveryState.Delivered);

        var page = await portal.GetStringAsync("/admin/messages/dashboard?hours=6");

        Assert.Contains("<svg class=\"chart\"", page);
        Assert.Equal(5, System.Text.RegularExpressions.Regex.Count(page, "<polyline"));
        Assert.Matches("<dt>Messages delivered</dt><dd>1</dd>", page);
        Assert.Matches(@"<dt>p50</dt><dd>[0-9]+\.[0-9]{2} s</dd>", page);
    }
}
