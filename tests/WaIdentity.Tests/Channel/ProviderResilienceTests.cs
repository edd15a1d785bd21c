using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.WaChannel.Codes;
using WaIdentity.WaChannel.Outbox;
using WaIdentity.WaChannel.Providers;
using static WaIdentity.Tests.Channel.ChannelTestKit;

namespace WaIdentity.Tests.Channel;

/// <summary>The provider HTTP clients' resilience pipeline: a circuit breaker, and retries left to the outbox.</summary>
public sealed class ProviderResilienceTests
{
    [Fact]
    public async Task A_server_error_is_retried_by_the_outbox_as_a_second_attempt_never_inside_the_http_client()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, Settings());
        await FailNextAsync(server, "whatsapp", 1, "server-error");

        var handle = await SendAsync(server, NewPhone(), "482913", DeliveryPolicy.WhatsAppOnly);
        await StatusWhenAsync(server, handle, s => s.State >= DeliveryState.Delivered);

        // An HttpClient retry would have hidden the 5xx inside the first attempt (and could send a message twice).
        var message = await MessageAsync(server, handle.Id);
        Assert.Equal(2, message.Attempts);
        Assert.Equal(DispatchState.Accepted, message.Dispatch);
    }

    [Fact]
    public async Task While_WhatsApp_keeps_failing_the_breaker_pauses_calls_and_the_outbox_keeps_its_own_retries()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, Settings(("Channel:Dispatch:MaxAttempts", "20")));
        await FailNextAsync(server, "whatsapp", 100, "server-error");

        var handles = new List<MessageHandle>();
        for (var i = 0; i < 4; i++) handles.Add(await SendAsync(server, NewPhone(), "482913", DeliveryPolicy.WhatsAppOnly));

        var paused = await Eventually.ValueAsync(async () =>
        {
            foreach (var h in handles)
                if (await MessageAsync(server, h.Id) is { ErrorCode: ProviderSendResult.CircuitOpenCode } m) return m;
            return null;
        }, m => m is not null, Patience);
        Assert.NotNull(paused);
        // Still the outbox's message to retry: pending, its attempt counted, a next try scheduled.
        Assert.Equal(DispatchState.Pending, paused.Dispatch);
        Assert.InRange(paused.Attempts, 1, 20);
    }
}
