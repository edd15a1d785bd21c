using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.WaChannel.Codes;
using WaIdentity.WaChannel.Delivery;
using static WaIdentity.Tests.Channel.ChannelTestKit;

namespace WaIdentity.Tests.Channel;

/// <summary>WhatsApp failure -> exactly one SMS with the same code; no `delivered` in time -> exactly one SMS.</summary>
public sealed class FallbackTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_failed_status_sends_the_same_code_once_by_sms(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var phone = NewPhone();
        await using var server = await IdpTestServer.StartAsync(db, Settings(("Channel:Sandbox:NoWhatsAppNumbers:0", phone)));

        var handle = await SendAsync(server, phone, "246810");

        var status = await StatusWhenAsync(server, handle, s => s.FellBack && s.State == DeliveryState.Delivered);
        Assert.True(status!.FellBack);
        Assert.Equal(ChannelKind.Sms, status.Channel);
        Assert.Equal(DeliveryState.Delivered, status.State);
        await QuietAsync(server);
        var inbox = await InboxAsync(server, phone);
        Assert.Equal(["sms", "whatsapp"], inbox.Select(i => i.Channel).Order().ToArray());
        Assert.All(inbox, i => Assert.Equal("246810", i.Code));
        var sms = Assert.Single(inbox, i => i.Channel == "sms");
        Assert.Equal(handle.ToString(), sms.MessageId);
        var original = await MessageAsync(server, handle.Id);
        Assert.Equal(DeliveryState.Failed, original.State);
        Assert.Equal("131026", original.ErrorCode);
        Assert.NotNull(original.FallbackId);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task No_delivered_in_time_sends_the_code_once_by_sms(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var phone = NewPhone();
        await using var server = await IdpTestServer.StartAsync(db, Settings(
            ("Channel:Sandbox:UnreachableNumbers:0", phone), ("Channel:Fallback:DeliveredWithinSeconds", "2"), ("Channel:Fallback:CheckIntervalSeconds", "1")));

        var handle = await SendAsync(server, phone, "135790");

        var status = await StatusWhenAsync(server, handle, s => s.FellBack);
        Assert.True(status!.FellBack);
        Assert.Equal(ChannelKind.Sms, status.Channel);
        await InboxWhenAsync(server, phone, i => i.Any(m => m.Channel == "sms"));
        await JobRunsAsync(server, FallbackTimeoutJob.Name, 2); // the timeout job had two more chances to send it again
        await QuietAsync(server);
        var inbox = await InboxAsync(server, phone);
        Assert.Single(inbox, i => i.Channel == "sms" && i.Code == "135790");
        Assert.Equal(2, (await MessagesToAsync(server, phone)).Count);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Whatsapp_only_never_falls_back(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var phone = NewPhone();
        await using var server = await IdpTestServer.StartAsync(db, Settings(("Channel:Sandbox:NoWhatsAppNumbers:0", phone)));

        var handle = await SendAsync(server, phone, "999000", DeliveryPolicy.WhatsAppOnly);

        var status = await StatusWhenAsync(server, handle, s => s.State == DeliveryState.Failed);
        Assert.Equal("This number cannot receive WhatsApp messages.", status!.Error);
        await QuietAsync(server);
        Assert.DoesNotContain(await InboxAsync(server, phone), i => i.Channel == "sms");
        Assert.False((await StatusAsync(server, handle))!.FellBack);
    }
}
