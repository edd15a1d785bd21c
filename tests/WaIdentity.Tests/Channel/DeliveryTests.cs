using Microsoft.Extensions.DependencyInjection;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.WaChannel.Codes;
using static WaIdentity.Tests.Channel.ChannelTestKit;

namespace WaIdentity.Tests.Channel;

/// <summary>Send -> Cloud API emulator over HTTP -> signed status webhook -> delivered, on both databases.</summary>
public sealed class DeliveryTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_code_reaches_the_dev_inbox_and_is_marked_delivered_by_the_signed_webhook(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var server = await IdpTestServer.StartAsync(db, Settings());
        var phone = NewPhone();

        var handle = await SendAsync(server, phone, "482913", locale: "id");

        var inbox = await InboxWhenAsync(server, phone, i => i.Count > 0);
        var item = Assert.Single(inbox);
        Assert.Equal("whatsapp", item.Channel);
        Assert.Equal("482913", item.Code);
        Assert.Contains("482913 adalah kode verifikasi", item.Text);
        Assert.Equal(handle.ToString(), item.MessageId);
        var status = await StatusWhenAsync(server, handle, s => s.State == DeliveryState.Delivered);
        Assert.Equal(DeliveryState.Delivered, status!.State);
        Assert.Equal(ChannelKind.WhatsApp, status.Channel);
        Assert.False(status.FellBack);
        var log = await MessageAsync(server, handle.Id);
        Assert.StartsWith("wamid.", log.ProviderMessageId);
        Assert.True(log.Billable);
        Assert.Equal("authentication", log.PricingCategory);
        var history = (await HistoryAsync(server, handle.Id)).Select(e => e.State).Order().ToList();
        Assert.Equal([DeliveryState.Queued, DeliveryState.Sent, DeliveryState.Delivered], history);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_provider_5xx_or_429_is_retried_and_the_code_is_sent_once(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var server = await IdpTestServer.StartAsync(db, Settings());
        await FailNextAsync(server, "whatsapp", 1, "server-error");
        await FailNextAsync(server, "whatsapp", 1, "rate-limit");
        var phone = NewPhone();

        var handle = await SendAsync(server, phone, "111222", DeliveryPolicy.WhatsAppOnly);

        var status = await StatusWhenAsync(server, handle, s => s.State == DeliveryState.Delivered);
        Assert.Equal(DeliveryState.Delivered, status!.State);
        await QuietAsync(server);
        Assert.Single(await InboxAsync(server, phone));
        Assert.Equal(3, (await MessageAsync(server, handle.Id)).Attempts);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_invalid_number_is_not_retried_and_says_why(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var phone = NewPhone();
        await using var server = await IdpTestServer.StartAsync(db, Settings(("Channel:Sandbox:InvalidNumbers:0", phone)));

        var handle = await SendAsync(server, phone, "333444", DeliveryPolicy.WhatsAppOnly);

        var status = await StatusWhenAsync(server, handle, s => s.State == DeliveryState.Failed);
        Assert.Equal(DeliveryState.Failed, status!.State);
        Assert.Equal("The phone number is not valid for WhatsApp.", status.Error);
        await QuietAsync(server);
        Assert.Equal(1, (await MessageAsync(server, handle.Id)).Attempts);
        Assert.Empty(await InboxAsync(server, phone));
        Assert.Single(await MessagesToAsync(server, phone));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_free_text_reaches_the_dev_inbox_as_written_and_an_empty_one_is_refused(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var server = await IdpTestServer.StartAsync(db, Settings());
        var phone = NewPhone();

        var handle = (await server.InScopeAsync(sp => sp.GetRequiredService<ITextSender>()
            .SendTextAsync(new TextRequest(phone, "Your order <b>42</b> has shipped.", "test", "en")))).Handle;

        var item = Assert.Single(await InboxWhenAsync(server, phone, i => i.Count > 0));
        Assert.Equal("Your order <b>42</b> has shipped.", item.Text);
        Assert.Null(item.Code);
        var status = await StatusWhenAsync(server, handle, s => s.State == DeliveryState.Delivered);
        Assert.Equal(DeliveryState.Delivered, status!.State);
        var refused = await server.InScopeAsync(sp => sp.GetRequiredService<ITextSender>()
            .SendTextAsync(new TextRequest(phone, "  ", "test", "en")));
        Assert.Equal(SendRefusalReason.InvalidText, refused.Refusal?.Reason);
    }
}
