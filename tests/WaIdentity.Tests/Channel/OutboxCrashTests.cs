using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.WaChannel.Codes;
using WaIdentity.WaChannel.Outbox;
using WaIdentity.WaChannel.Persistence;
using WaIdentity.WaChannel.Providers;
using WaIdentity.WaChannel.Queues;
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
            Assert.Equal(DispatchState.Pending, (await MessageAsync(stopped, handle.Id)).Dispatch);
            Assert.Empty(await InboxAsync(stopped, phone));
        }

        await using var restarted = await IdpTestServer.StartAsync(db, Settings());

        var status = await StatusWhenAsync(restarted, handle, s => s.State == DeliveryState.Delivered);
        Assert.Equal(DeliveryState.Delivered, status!.State);
        await AssertSentOnceAsync(restarted, handle, phone);
    }

    [Fact]
    public async Task A_send_slower_than_the_lease_keeps_renewing_its_lease_until_it_is_recorded()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        // No dispatcher of its own: this test drives one dispatch by hand with a provider that answers when told.
        await using var server = await IdpTestServer.StartAsync(db, Settings(("Channel:Dispatch:Enabled", "false"), ("Channel:Dispatch:LeaseSeconds", "3")));
        var phone = NewPhone();
        var handle = await SendAsync(server, phone, "577215", DeliveryPolicy.WhatsAppOnly);
        var provider = new HeldProvider();

        await server.InScopeAsync(async sp =>
        {
            var dispatch = ActivatorUtilities.CreateInstance<MessageDispatch>(sp, new object[] { new IMessageProvider[] { provider } });
            var sending = dispatch.RunLeasedAsync(handle.Id, "node-a", sp.GetRequiredService<TimeProvider>(), NullLogger.Instance, CancellationToken.None);
            await provider.Called.Task;
            var claimed = (await MessageAsync(server, handle.Id)).LeaseUntil!.Value;

            // The provider is still thinking; the lease is pushed forward rather than left to run out under it.
            var renewed = await Eventually.ValueAsync(async () => (await MessageAsync(server, handle.Id)).LeaseUntil, l => l > claimed, Patience);
            Assert.True(renewed > claimed, "the lease was not renewed while the send was in flight");

            provider.Answer.SetResult(ProviderSendResult.Accepted("wamid.held", null));
            await sending;
            return 0;
        });

        var row = await MessageAsync(server, handle.Id);
        Assert.Equal((DispatchState.Accepted, 1, (DateTimeOffset?)null), (row.Dispatch, row.Attempts, row.LeaseUntil));
    }

    private sealed class HeldProvider : IMessageProvider
    {
        public TaskCompletionSource Called { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource<ProviderSendResult> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public ChannelKind Channel => ChannelKind.WhatsApp;

        public Task<ProviderSendResult> SendAsync(OutgoingMessage message, CancellationToken ct)
        {
            Called.TrySetResult();
            return Answer.Task;
        }
    }

    /// <summary>Accepted is final: no node claims the message again, so one attempt and one message are all there will be.</summary>
    private static async Task AssertSentOnceAsync(IdpTestServer server, MessageHandle handle, string phone)
    {
        var row = await MessageAsync(server, handle.Id);
        Assert.Equal((DispatchState.Accepted, 1), (row.Dispatch, row.Attempts));
        Assert.Single(await InboxAsync(server, phone));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_lease_held_by_a_dead_node_expires_and_the_message_is_sent_exactly_once(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var server = await IdpTestServer.StartAsync(db, Settings());
        var phone = NewPhone();
        // A node claimed this message and died before sending: its lease still runs.
        var handle = await server.InScopeAsync(async sp =>
        {
            var now = DateTimeOffset.UtcNow;
            var message = new OutboundMessage
            {
                Id = Guid.NewGuid(), Kind = MessageKind.Code, Channel = ChannelKind.WhatsApp, Policy = DeliveryPolicy.WhatsAppOnly, Phone = phone,
                Locale = "en", Purpose = "login", Payload = sp.GetRequiredService<PayloadProtector>().Protect("271828"),
                NextAttemptAt = now, CreatedAt = now, UpdatedAt = now, LeaseOwner = "dead-node", LeaseUntil = now.AddHours(1),
            };
            var ctx = sp.GetRequiredService<ChannelDbContext>();
            ctx.Add(message);
            await ctx.SaveChangesAsync();
            return new MessageHandle(message.Id);
        });
        // A message queued after it goes out: the dispatcher has looked at the held one and left it to its owner.
        var later = await SendAsync(server, NewPhone(), "100000", DeliveryPolicy.WhatsAppOnly);
        await StatusWhenAsync(server, later, s => s.State == DeliveryState.Delivered);
        Assert.Equal(DispatchState.Pending, (await MessageAsync(server, handle.Id)).Dispatch);
        Assert.Empty(await InboxAsync(server, phone));

        // The dead node's lease runs out (as it would once Dispatch:LeaseSeconds passed without a renewal).
        await server.InScopeAsync(sp => sp.GetRequiredService<ChannelDbContext>().Set<OutboundMessage>().Where(m => m.Id == handle.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(m => m.LeaseUntil, DateTimeOffset.UtcNow.AddSeconds(-1))));
        var status = await StatusWhenAsync(server, handle, s => s.State == DeliveryState.Delivered);

        Assert.Equal(DeliveryState.Delivered, status!.State);
        await AssertSentOnceAsync(server, handle, phone);
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
        // The emulator records a message before it answers, so every accepted send is already counted here.
        var received = await first.InScopeAsync(sp => sp.GetRequiredService<ChannelDbContext>().Set<SandboxMessage>().CountAsync());
        Assert.Equal(phones.Count, received);
    }
}
