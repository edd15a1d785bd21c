using Microsoft.EntityFrameworkCore;
using WaIdentity.IdP.Persistence;
using WaIdentity.IdP.Sessions;
using WaIdentity.IdP.Users;
using WaIdentity.Tests.Channel;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.WaChannel.Codes;
using WaIdentity.WaChannel.Outbox;
using WaIdentity.WaChannel.Persistence;
using WaIdentity.WaChannel.Sandbox;

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

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_log_filters_by_channel_and_by_time_range(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var server = await IdpTestServer.StartAsync(db, ChannelTestKit.Settings());
        using var portal = await AdminPortal.SignInAsync(server);
        var byWhatsApp = ChannelTestKit.NewPhone();
        var bySms = ChannelTestKit.NewPhone();
        var lastWeek = ChannelTestKit.NewPhone();
        await ChannelTestKit.SendAsync(server, byWhatsApp, "111111", DeliveryPolicy.WhatsAppOnly);
        await ChannelTestKit.SendAsync(server, bySms, "222222", DeliveryPolicy.SmsOnly);
        var old = await ChannelTestKit.SendAsync(server, lastWeek, "333333", DeliveryPolicy.WhatsAppOnly);
        // The log keeps no clock of its own to wind back: age the row as if it had been sent 30 hours ago.
        await server.InScopeAsync(sp => sp.GetRequiredService<ChannelDbContext>().Set<OutboundMessage>()
            .Where(m => m.Id == old.Id).ExecuteUpdateAsync(u => u.SetProperty(m => m.CreatedAt, DateTimeOffset.UtcNow.AddHours(-30))));

        var sms = Table(await portal.GetAsync("/admin/messages?channel=Sms"));
        var whatsApp = Table(await portal.GetAsync("/admin/messages?channel=WhatsApp"));
        var day = Table(await portal.GetAsync("/admin/messages?hours=24"));
        var twoDays = Table(await portal.GetAsync("/admin/messages?hours=48"));

        Assert.Contains(Html(bySms), sms);
        Assert.DoesNotContain(Html(byWhatsApp), sms);
        Assert.Contains(Html(byWhatsApp), whatsApp);
        Assert.DoesNotContain(Html(bySms), whatsApp);
        Assert.Contains(Html(byWhatsApp), day);
        Assert.DoesNotContain(Html(lastWeek), day);
        Assert.Contains(Html(lastWeek), twoDays);
        Assert.Contains("The filter is not valid", await portal.GetAsync("/admin/messages?hours=0"));
    }

    [Fact]
    public async Task The_dashboard_counts_paid_templates_and_free_texts_apart()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, ChannelTestKit.Settings());
        using var portal = await AdminPortal.SignInAsync(server);
        var codes = new[] { await ChannelTestKit.SendAsync(server, ChannelTestKit.NewPhone(), "123456", DeliveryPolicy.WhatsAppOnly) };
        var texts = new List<MessageHandle>();
        foreach (var _ in Enumerable.Range(0, 2))
        {
            // A free text needs the 24 h window the customer opens by writing first.
            var phone = ChannelTestKit.NewPhone();
            await server.InScopeAsync(sp => sp.GetRequiredService<SandboxStatusSender>().SendInboundAsync(phone, "Where is my order?", null, default));
            texts.Add((await server.InScopeAsync(sp => sp.GetRequiredService<ITextSender>()
                .SendTextAsync(new TextRequest(phone, "Your order has shipped.", "test", "en", DeliveryPolicy.WhatsAppOnly)))).Handle);
        }
        // Meta reports the price with the delivery status; wait for each message to be priced.
        foreach (var h in codes.Concat(texts))
            await Eventually.ValueAsync(() => ChannelTestKit.MessageAsync(server, h.Id), m => m.Billable is not null, ChannelTestKit.Patience);

        var page = await portal.GetAsync("/admin/messages/dashboard?hours=6");

        Assert.Contains("<dt>Paid (template)</dt><dd>1</dd>", page);
        Assert.Contains("<dt>Free</dt><dd>2</dd>", page);
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
