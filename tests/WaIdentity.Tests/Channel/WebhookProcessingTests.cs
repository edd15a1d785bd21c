using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.EntityFrameworkCore;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.WaChannel.Codes;
using WaIdentity.WaChannel.Outbox;
using WaIdentity.WaChannel.Persistence;
using WaIdentity.WaChannel.Sandbox;
using WaIdentity.WaChannel.Telemetry;
using WaIdentity.WaChannel.Webhooks;
using static WaIdentity.Tests.Channel.ChannelTestKit;

namespace WaIdentity.Tests.Channel;

/// <summary>
/// Stored webhook events are handled a batch at a time: each exactly once however many batches and nodes there are,
/// a status for a message not stored yet again later until the message is there (or set aside), and events a dead node
/// held once its lease runs out. "Handled" is seen through the channel.webhook span, one per try of one event.
/// </summary>
public sealed class WebhookProcessingTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_burst_of_status_webhooks_leaves_every_message_in_its_final_state_each_event_handled_once(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var phones = Enumerable.Range(0, 8).Select(_ => NewPhone()).ToList();
        await using var server = await IdpTestServer.StartAsync(db, BatchSettings(Unreachable(phones)));
        using var handled = new HandledEvents();
        var messages = await SentMessagesAsync(server, phones);
        var marker = Guid.NewGuid().ToString("N");

        // Each message delivered, read and delivered again, all at once: many batches, some of them partial.
        var bodies = messages.SelectMany(m => new[] { "delivered", "read", "delivered" }.Select(s => StatusBody(m.Wamid, m.Handle, s, marker))).ToList();
        await Task.WhenAll(bodies.Select(body => Task.Run(() => PostAsync(server, body))));

        var events = await Eventually.ValueAsync(() => EventsAsync(server, marker), es => es.Count == bodies.Count && es.All(e => e.ProcessedAt != null), Patience);
        foreach (var (handle, _) in messages)
        {
            Assert.Equal(DeliveryState.Read, (await StatusAsync(server, handle))!.State);
            Assert.Equal([DeliveryState.Queued, DeliveryState.Sent, DeliveryState.Delivered, DeliveryState.Read],
                (await HistoryAsync(server, handle.Id)).Select(e => e.State).Order());
        }
        Assert.All(events, e => Assert.Equal((1, (string?)null, (DateTimeOffset?)null), (e.Attempts, e.LeaseOwner, e.LeaseUntil)));
        Assert.All(events, e => Assert.Single(handled.TriesOf(e.Id)));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Two_nodes_on_one_database_handle_each_webhook_event_once(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var phones = Enumerable.Range(0, 6).Select(_ => NewPhone()).ToList();
        await using var first = await IdpTestServer.StartAsync(db, BatchSettings(Unreachable(phones)));
        await using var second = await IdpTestServer.StartAsync(db, BatchSettings(Unreachable(phones)));
        using var handled = new HandledEvents();
        var messages = await SentMessagesAsync(first, phones);
        var marker = Guid.NewGuid().ToString("N");

        // Half the bodies reach each node, so both nodes' processors race for the same stored events.
        var bodies = messages.SelectMany(m => new[] { "delivered", "read", "delivered", "read" }.Select(s => StatusBody(m.Wamid, m.Handle, s, marker))).ToList();
        await Task.WhenAll(bodies.Select((body, i) => Task.Run(() => PostAsync(i % 2 == 0 ? first : second, body))));

        var events = await Eventually.ValueAsync(() => EventsAsync(first, marker), es => es.Count == bodies.Count && es.All(e => e.ProcessedAt != null), Patience);
        Assert.All(events, e => Assert.Single(handled.TriesOf(e.Id)));
        foreach (var (handle, _) in messages) Assert.Equal(DeliveryState.Read, (await StatusAsync(first, handle))!.State);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_status_for_a_message_not_stored_yet_is_tried_again_and_applied_once_the_message_is_stored(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var server = await IdpTestServer.StartAsync(db, BatchSettings());
        var id = Guid.NewGuid();
        var wamid = $"wamid.later-{id:N}";
        var marker = Guid.NewGuid().ToString("N");

        // The status raced the send's response: the message it names is not there yet.
        await PostAsync(server, StatusBody(wamid, new MessageHandle(id), "delivered", marker));
        var waiting = Assert.Single(await Eventually.ValueAsync(() => EventsAsync(server, marker), es => es.Count == 1 && es[0].Attempts >= 2, Patience));
        Assert.Null(waiting.ProcessedAt);

        await StoreSentMessageAsync(server, id, wamid);

        var done = Assert.Single(await Eventually.ValueAsync(() => EventsAsync(server, marker), es => es[0].ProcessedAt != null, Patience));
        Assert.Equal(DeliveryState.Delivered, (await MessageAsync(server, id)).State);
        Assert.Equal(((string?)null, (DateTimeOffset?)null), (done.LeaseOwner, done.LeaseUntil));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_status_for_a_message_that_never_comes_is_tried_with_growing_gaps_and_set_aside_after_MaxAttempts(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var server = await IdpTestServer.StartAsync(db, BatchSettings(("Channel:Webhooks:MaxAttempts", "4")));
        using var handled = new HandledEvents();
        var marker = Guid.NewGuid().ToString("N");

        await PostAsync(server, StatusBody("wamid.never", new MessageHandle(Guid.NewGuid()), "delivered", marker));

        var set = Assert.Single(await Eventually.ValueAsync(() => EventsAsync(server, marker), es => es.Count == 1 && es[0].ProcessedAt != null, Patience));
        Assert.Equal(4, set.Attempts);
        var tries = handled.TriesOf(set.Id);
        Assert.Equal(4, tries.Count);
        // Due again 200 ms after the first try, then 400, then 800 (each gap also holds the try itself and the poll).
        var gaps = tries.Zip(tries.Skip(1), (a, b) => b - a).ToList();
        Assert.All(gaps.Zip([200, 400, 800]), g => Assert.True(g.First >= TimeSpan.FromMilliseconds(g.Second), $"a gap of {g.First} where the retry was due after {g.Second} ms"));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Events_claimed_by_a_node_that_died_are_handled_once_its_lease_runs_out(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var phones = Enumerable.Range(0, 2).Select(_ => NewPhone()).ToList();
        await using var server = await IdpTestServer.StartAsync(db, BatchSettings(Unreachable(phones)));
        using var handled = new HandledEvents();
        var messages = await SentMessagesAsync(server, phones);
        var (held, live) = (messages[0], messages[1]);
        // A node claimed a batch (the oldest events) and died before recording anything: its lease still runs.
        var heldIds = await server.InScopeAsync(async sp =>
        {
            var now = server.Clock.GetUtcNow();
            var rows = new[] { "delivered", "read" }.Select(s => new WebhookEvent
            {
                Id = Guid.NewGuid(), Source = "whatsapp", Body = System.Text.Encoding.UTF8.GetString(StatusBody(held.Wamid, held.Handle, s)),
                ReceivedAt = now.AddSeconds(-1), LeaseOwner = "dead-node-1", LeaseUntil = now.AddSeconds(30),
            }).ToList();
            var ctx = sp.GetRequiredService<ChannelDbContext>();
            ctx.AddRange(rows);
            await ctx.SaveChangesAsync();
            return rows.Select(r => r.Id).ToList();
        });
        // A later event is handled: the processor has looked past the held ones and left them to their owner.
        await PostAsync(server, StatusBody(live.Wamid, live.Handle, "delivered"));
        await StatusWhenAsync(server, live.Handle, s => s.State == DeliveryState.Delivered);
        Assert.Equal(DeliveryState.Sent, (await StatusAsync(server, held.Handle))!.State);
        Assert.All(heldIds, id => Assert.Empty(handled.TriesOf(id)));

        server.Clock.Advance(TimeSpan.FromSeconds(31)); // Webhooks:LeaseSeconds (30) pass without a renewal

        await StatusWhenAsync(server, held.Handle, s => s.State == DeliveryState.Read);
        var rows = await Eventually.ValueAsync(() => server.InScopeAsync(sp => sp.GetRequiredService<ChannelDbContext>().Set<WebhookEvent>()
            .AsNoTracking().Where(w => heldIds.Contains(w.Id)).ToListAsync()), rs => rs.All(r => r.ProcessedAt != null), Patience);
        Assert.All(rows, r => Assert.Equal((1, (string?)null), (r.Attempts, r.LeaseOwner)));
        Assert.All(heldIds, id => Assert.Single(handled.TriesOf(id)));
    }

    [Fact]
    public async Task On_PostgreSQL_a_claim_never_takes_the_events_of_a_claim_not_yet_committed()
    {
        // Two nodes' claims overlap: the second one's snapshot still sees the first one's events as due. It must skip
        // them, not wait for the first to commit and then take them as well (an UPDATE … WHERE Id IN (SELECT … LIMIT)
        // does exactly that under READ COMMITTED). The server's own processor leaves these events alone: they are held
        // by a dead node for an hour, and only the two claims here, an hour and a half later, see them as due.
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.PostgreSQL);
        await using var server = await IdpTestServer.StartAsync(db, BatchSettings());
        var later = new TestClock();
        later.Advance(TimeSpan.FromMinutes(90));
        var held = await server.InScopeAsync(async sp =>
        {
            var now = server.Clock.GetUtcNow();
            var rows = Enumerable.Range(0, 3).Select(i => new WebhookEvent
            {
                Id = Guid.NewGuid(), Source = "whatsapp", Body = """{"object":"whatsapp_business_account","entry":[]}""",
                ReceivedAt = now.AddSeconds(i - 10), LeaseOwner = "dead-node-2", LeaseUntil = now.AddHours(1),
            }).ToList();
            var ctx = sp.GetRequiredService<ChannelDbContext>();
            ctx.AddRange(rows);
            await ctx.SaveChangesAsync();
            return rows.Select(r => r.Id).Order().ToList();
        });

        await using var first = server.Services.CreateAsyncScope();
        var firstDb = first.ServiceProvider.GetRequiredService<ChannelDbContext>();
        await using var open = await firstDb.Database.BeginTransactionAsync();
        var firstClaim = await ActivatorUtilities.CreateInstance<WebhookLeases>(first.ServiceProvider, later).ClaimAsync("node-a", 10, CancellationToken.None);
        Assert.Equal(held, firstClaim.Select(e => e.Id).Order());

        await using var second = server.Services.CreateAsyncScope();
        var secondClaim = ActivatorUtilities.CreateInstance<WebhookLeases>(second.ServiceProvider, later).ClaimAsync("node-b", 10, CancellationToken.None);
        // Either it is done (it skipped the locked rows) or it waits on their locks; only then may the first commit.
        await Eventually.ValueAsync(async () => secondClaim.IsCompleted || await WaitingOnLocksAsync(server) > 0, waiting => waiting, Patience);
        await open.CommitAsync();

        Assert.DoesNotContain(await secondClaim, e => held.Contains(e.Id));
        var owners = await server.InScopeAsync(sp => sp.GetRequiredService<ChannelDbContext>().Set<WebhookEvent>().AsNoTracking()
            .Where(w => held.Contains(w.Id)).Select(w => w.LeaseOwner).Distinct().ToListAsync());
        Assert.Equal(["node-a"], owners);
    }

    private static Task<int> WaitingOnLocksAsync(IdpTestServer server) => server.InScopeAsync(sp => sp.GetRequiredService<ChannelDbContext>().Database
        .SqlQuery<int>($"""SELECT count(*)::int AS "Value" FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()""")
        .SingleAsync());

    /// <summary>Small batches, two at once: a few dozen events make many batches, some of them partial.</summary>
    private static Dictionary<string, string?> BatchSettings(params (string Key, string? Value)[] extra) =>
        Settings([("Channel:Webhooks:BatchSize", "4"), ("Channel:Webhooks:Concurrency", "2"), .. extra]);

    /// <summary>Numbers the emulator reports `sent` for and nothing more: every later state comes from the test's own bodies.</summary>
    private static (string, string?)[] Unreachable(List<string> phones) =>
        phones.Select((p, i) => ($"Channel:Sandbox:UnreachableNumbers:{i}", (string?)p)).ToArray();

    private static async Task<List<(MessageHandle Handle, string Wamid)>> SentMessagesAsync(IdpTestServer server, List<string> phones)
    {
        var handles = new List<MessageHandle>();
        foreach (var phone in phones) handles.Add(await SendAsync(server, phone, "246810", DeliveryPolicy.WhatsAppOnly));
        var messages = new List<(MessageHandle, string)>();
        foreach (var handle in handles)
        {
            await StatusWhenAsync(server, handle, s => s.State == DeliveryState.Sent);
            messages.Add((handle, (await MessageAsync(server, handle.Id)).ProviderMessageId!));
        }
        return messages;
    }

    private static async Task PostAsync(IdpTestServer server, byte[] body)
    {
        using var response = await PostCloudApiAsync(server, body, HubSignature.Sign(SandboxCredentials.AppSecret, body));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static Task<List<WebhookEvent>> EventsAsync(IdpTestServer server, string marker) =>
        server.InScopeAsync(sp => sp.GetRequiredService<ChannelDbContext>().Set<WebhookEvent>().AsNoTracking().Where(w => w.Body.Contains(marker)).ToListAsync());

    /// <summary>A WhatsApp message the provider has taken (as the send's response would have recorded it).</summary>
    private static Task StoreSentMessageAsync(IdpTestServer server, Guid id, string wamid) => server.InScopeAsync(async sp =>
    {
        var now = server.Clock.GetUtcNow();
        var ctx = sp.GetRequiredService<ChannelDbContext>();
        ctx.Add(new OutboundMessage
        {
            Id = id, Kind = MessageKind.Code, Channel = ChannelKind.WhatsApp, Policy = DeliveryPolicy.WhatsAppOnly, Phone = NewPhone(),
            Locale = "en", Purpose = "login", Payload = sp.GetRequiredService<PayloadProtector>().Protect("141421"), State = DeliveryState.Sent,
            Dispatch = DispatchState.Accepted, Attempts = 1, ProviderMessageId = wamid, NextAttemptAt = now, CreatedAt = now, UpdatedAt = now,
        });
        return await ctx.SaveChangesAsync();
    });

    /// <summary>The channel.webhook spans (one per try of one event), by event, from every server in this process.</summary>
    private sealed class HandledEvents : IDisposable
    {
        private readonly ConcurrentQueue<(Guid Id, DateTime Start)> _tries = new();
        private readonly ActivityListener _listener;

        public HandledEvents()
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = s => s.Name == ChannelTracing.SourceName,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
                ActivityStopped = a =>
                {
                    if (a.OperationName == "channel.webhook" && a.GetTagItem(ChannelTracing.WebhookEventIdTag) is Guid id) _tries.Enqueue((id, a.StartTimeUtc));
                },
            };
            ActivitySource.AddActivityListener(_listener);
        }

        /// <summary>When each try of the event began, in order. A try's span ends before its outcome is recorded.</summary>
        public List<DateTime> TriesOf(Guid id) => _tries.Where(t => t.Id == id).Select(t => t.Start).Order().ToList();

        public void Dispose() => _listener.Dispose();
    }
}
