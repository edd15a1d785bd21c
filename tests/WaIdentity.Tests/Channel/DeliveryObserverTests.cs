using Microsoft.Extensions.Logging.Abstractions;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.WaChannel.Codes;
using WaIdentity.WaChannel.Delivery;
using WaIdentity.WaChannel.Persistence;

namespace WaIdentity.Tests.Channel;

/// <summary>Observers hear of each real change once, never of duplicates or of a late state that changes nothing.</summary>
public sealed class DeliveryObserverTests
{
    private sealed class Recorder : IDeliveryObserver
    {
        public List<DeliveryStatus> Seen { get; } = [];

        public Task OnDeliveryChangedAsync(DeliveryStatus status, CancellationToken ct)
        {
            Seen.Add(status);
            return Task.CompletedTask;
        }
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Each_change_is_observed_once(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var server = await IdpTestServer.StartAsync(db, ChannelTestKit.Settings(("Channel:Dispatch:Enabled", "false")));
        var handle = await ChannelTestKit.SendAsync(server, ChannelTestKit.NewPhone(), "654321", DeliveryPolicy.WhatsAppOnly);
        var recorder = new Recorder();

        await server.InScopeAsync(async sp =>
        {
            var tracker = new DeliveryTracker(sp.GetRequiredService<ChannelDbContext>(), sp.GetRequiredService<FallbackSender>(),
                sp.GetRequiredService<DeliveryStatusReader>(), [recorder], TimeProvider.System, sp.GetRequiredService<WaIdentity.WaChannel.Outbox.ChannelMeters>(), NullLogger<DeliveryTracker>.Instance);
            foreach (var state in new[] { DeliveryState.Sent, DeliveryState.Sent, DeliveryState.Delivered, DeliveryState.Sent, DeliveryState.Delivered })
                await tracker.ApplyAsync(handle.Id, state, DateTimeOffset.UtcNow, null, null, default);
            return 0;
        });

        Assert.Equal([DeliveryState.Sent, DeliveryState.Delivered], recorder.Seen.Select(s => s.State).ToArray());
        Assert.All(recorder.Seen, s => Assert.Equal(handle, s.Handle));
    }
}
