using Microsoft.EntityFrameworkCore;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.WaChannel.Codes;
using WaIdentity.WaChannel.Outbox;
using WaIdentity.WaChannel.Persistence;
using static WaIdentity.Tests.Channel.ChannelTestKit;

namespace WaIdentity.Tests.Channel;

/// <summary>A crash at any point neither loses a message nor sends it twice.</summary>
public sealed class OutboxCrashTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_message_written_before_the_process_stopped_is_sent_exactly_once_after_restart(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var phone = NewPhone();
        MessageHandle handle;
        await using (var stopped = await IdpTestServer.StartAsync(db, Settings(("Channel:Dispatch:Enabled", "false"))))
        {
            handle = await SendAsync(stopped, phone, "314159");
            await SettleAsync();
            Assert.Empty(await InboxAsync(stopped, phone));
        }

        await using var restarted = await IdpTestServer.StartAsync(db, Settings());

        var status = await StatusWhenAsync(restarted, handle, s => s.State == DeliveryState.Delivered);
        Assert.Equal(DeliveryState.Delivered, status!.State);
        await SettleAsync();
        Assert.Single(await InboxAsync(restarted, phone));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_lease_held_by_a_dead_node_expires_and_the_message_is_sent_exactly_once(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var server = await IdpTestServer.StartAsync(db, Settings());
        var phone = NewPhone();
        // A node claimed this message and died before sending: its lease still runs for 2 seconds.
        var handle = await server.InScopeAsync(async sp =>
        {
            var now = DateTimeOffset.UtcNow;
            var message = new OutboundMessage
            {
                Id = Guid.NewGuid(), Kind = MessageKind.Code, Channel = ChannelKind.WhatsApp, Policy = DeliveryPolicy.WhatsAppOnly, Phone = phone,
                Locale = "en", Purpose = "login", Payload = sp.GetRequiredService<PayloadProtector>().Protect("271828"),
                NextAttemptAt = now, CreatedAt = now, UpdatedAt = now, LeaseOwner = "dead-node", LeaseUntil = now.AddSeconds(2),
            };
            var ctx = sp.GetRequiredService<ChannelDbContext>();
            ctx.Add(message);
            await ctx.SaveChangesAsync();
            return new MessageHandle(message.Id);
        });
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Empty(await InboxAsync(server, phone));

        var status = await StatusWhenAsync(server, handle, s => s.State == DeliveryState.Delivered);

        Assert.Equal(DeliveryState.Delivered, status!.State);
        await SettleAsync();
        Assert.Single(await InboxAsync(server, phone));
    }

    [Fact]
    public async Task Two_nodes_on_one_database_send_each_message_once()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.PostgreSQL);
        await using var first = await IdpTestServer.StartAsync(db, Settings());
        await using var second = await IdpTestServer.StartAsync(db, Settings());
        var phones = Enumerable.Range(0, 20).Select(_ => NewPhone()).ToList();

        // The first node writes them all while its dispatcher and the second node's race for them.
        foreach (var phone in phones) await SendAsync(first, phone, "161803", DeliveryPolicy.WhatsAppOnly);

        var sent = await Eventually.ValueAsync(
            () => first.InScopeAsync(sp => sp.GetRequiredService<ChannelDbContext>().Set<OutboundMessage>().CountAsync(m => m.Dispatch == DispatchState.Accepted)),
            n => n == phones.Count, Patience);
        Assert.Equal(phones.Count, sent);
        await SettleAsync();
        var received = await first.InScopeAsync(sp => sp.GetRequiredService<ChannelDbContext>().Set<WaIdentity.WaChannel.Sandbox.SandboxMessage>().CountAsync());
        Assert.Equal(phones.Count, received);
    }
}
