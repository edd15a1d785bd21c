using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.WaChannel.Codes;
using WaIdentity.WaChannel.Outbox;
using WaIdentity.WaChannel.Sandbox;
using static WaIdentity.Tests.Channel.ChannelTestKit;

namespace WaIdentity.Tests.Channel;

/// <summary>
/// A provider that answers after the app stopped waiting (the emulator made slow by the dev inbox's "slow" failure):
/// one code gets one call, a code with SMS fallback goes by SMS without WhatsApp being asked again, and the other
/// people's codes go out beside the slow call instead of behind it.
/// </summary>
public sealed class SlowProviderTests
{
    private static int SlowFaultsLeft(IdpTestServer server) => server.Services.GetRequiredService<SandboxFaults>().Remaining("whatsapp");

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_send_that_times_out_is_not_repeated_while_the_provider_may_still_take_it(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        // The emulator answers after 12 s, past the call limit (and past the former fixed 10 s client timeout).
        await using var server = await IdpTestServer.StartAsync(db, Settings(
            ("Channel:Dispatch:SendTimeoutSeconds", "1"), ("Channel:Sandbox:SlowResponseMilliseconds", "12000")));
        await FailNextAsync(server, "whatsapp", 5, "slow");
        var phone = NewPhone();

        var handle = await SendAsync(server, phone, "424242", DeliveryPolicy.WhatsAppOnly);

        // The provider took the message after the app gave up; its status reports settle the question.
        var status = await StatusWhenAsync(server, handle, s => s.State == DeliveryState.Delivered);
        Assert.Equal(DeliveryState.Delivered, status!.State);
        Assert.Equal(4, SlowFaultsLeft(server)); // one call reached the provider
        var row = await MessageAsync(server, handle.Id);
        Assert.Equal((DispatchState.Accepted, 1), (row.Dispatch, row.Attempts));
        Assert.Single(await InboxAsync(server, phone));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_login_code_whose_whatsapp_send_times_out_goes_by_sms_without_asking_whatsapp_again(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var server = await IdpTestServer.StartAsync(db, Settings(
            ("Channel:Fallback:CodeWhatsAppSeconds", "5"), ("Channel:Dispatch:SendTimeoutSeconds", "10"), ("Channel:Sandbox:SlowResponseMilliseconds", "60000")));
        await FailNextAsync(server, "whatsapp", 5, "slow");
        var phone = NewPhone();

        var handle = await SendAsync(server, phone, "535353");

        var status = await StatusWhenAsync(server, handle, s => s.FellBack && s.State == DeliveryState.Delivered);
        Assert.Equal((ChannelKind.Sms, FallbackReason.NoDeliveryReport), (status!.Channel, status.FallbackReason));
        Assert.Equal(4, SlowFaultsLeft(server));
        Assert.Equal(1, (await MessageAsync(server, handle.Id)).Attempts);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task One_slow_send_does_not_hold_the_next_persons_code(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var server = await IdpTestServer.StartAsync(db, Settings(
            ("Channel:Dispatch:SendTimeoutSeconds", "30"), ("Channel:Sandbox:SlowResponseMilliseconds", "60000")));
        await FailNextAsync(server, "whatsapp", 1, "slow");
        var slow = await SendAsync(server, NewPhone(), "111222", DeliveryPolicy.WhatsAppOnly);
        Assert.Equal(0, await Eventually.ValueAsync(() => Task.FromResult(SlowFaultsLeft(server)), n => n == 0, Patience));

        var next = await SendAsync(server, NewPhone(), "333444", DeliveryPolicy.WhatsAppOnly);

        var status = await StatusWhenAsync(server, next, s => s.State == DeliveryState.Delivered);
        Assert.Equal(DeliveryState.Delivered, status!.State);
        // ... while the slow call is still waiting for its answer.
        var held = await MessageAsync(server, slow.Id);
        Assert.Equal((DispatchState.Pending, 0), (held.Dispatch, held.Attempts));
    }
}
