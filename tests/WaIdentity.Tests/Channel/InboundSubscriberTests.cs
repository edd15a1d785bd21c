using Microsoft.Extensions.Logging.Abstractions;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.WaChannel.Codes;
using WaIdentity.WaChannel.Inbound;
using WaIdentity.WaChannel.Outbox;
using WaIdentity.WaChannel.Persistence;

namespace WaIdentity.Tests.Channel;

/// <summary>Subscribers get each inbound message once, with the WhatsApp id mapped to the number we know it by.</summary>
public sealed class InboundSubscriberTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_duplicate_is_dropped_and_the_wa_id_maps_to_the_number_we_sent_to(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var server = await IdpTestServer.StartAsync(db, ChannelTestKit.Settings(("Channel:Dispatch:Enabled", "false")));
        var recorder = new InboundRecorder { ClaimPrefix = "LOGIN" };
        await server.InScopeAsync(async sp =>
        {
            var ctx = sp.GetRequiredService<ChannelDbContext>();
            // A country where WhatsApp's id differs from the dialled number: we sent to +5511987654321, WhatsApp calls it 551187654321.
            ctx.Add(new OutboundMessage
            {
                Id = Guid.NewGuid(), Phone = "+5511987654321", WaId = "551187654321", Channel = ChannelKind.WhatsApp, Payload = "x",
                Dispatch = DispatchState.Accepted, CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow,
            });
            await ctx.SaveChangesAsync();
            var inbound = new InboundDispatcher(ctx, [recorder], [recorder], TimeProvider.System, NullLogger<InboundDispatcher>.Instance);
            var at = DateTimeOffset.UtcNow;
            await inbound.AcceptAsync(new InboundMessage("551187654321", "  <b>Ana</b>  ", "LOGIN 1", at, "wamid.one"), default);
            await inbound.AcceptAsync(new InboundMessage("551187654321", "Ana", "LOGIN 1", at, "wamid.one"), default);
            await inbound.AcceptAsync(new InboundMessage("6281234567890", null, "hi", at, "wamid.two"), default);
            return 0;
        });

        Assert.Equal(2, recorder.Seen.Count);
        Assert.Equal("+5511987654321", recorder.Seen[0].Phone);
        Assert.Equal("<b>Ana</b>", recorder.Seen[0].ProfileName); // untrusted text, passed on as text for the page to encode
        Assert.Equal("+6281234567890", recorder.Seen[1].Phone);
        // The login-like message was claimed; only the ordinary one goes on to the unclaimed handlers (app forwarding).
        Assert.Equal("hi", Assert.Single(recorder.Unclaimed).Text);
    }
}
