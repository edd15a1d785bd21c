using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.WaChannel.Codes;
using WaIdentity.WaChannel.Outbox;
using WaIdentity.WaChannel.Persistence;
using WaIdentity.WaChannel.Sandbox;
using static WaIdentity.Tests.Channel.ChannelTestKit;

namespace WaIdentity.Tests.Channel;

/// <summary>Status injection through the dev inbox API, for WhatsApp ids as the Cloud API makes them (base64, with '/').</summary>
public sealed class DevInboxStatusTests
{
    [Fact]
    public async Task A_status_is_injected_for_a_whatsapp_id_holding_a_slash_sent_encoded_or_raw()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        var phone = NewPhone();
        await using var server = await IdpTestServer.StartAsync(db, Settings(("Channel:Sandbox:UnreachableNumbers:0", phone)));
        var handle = await SendAsync(server, phone, "555666", DeliveryPolicy.WhatsAppOnly);
        await StatusWhenAsync(server, handle, s => s.State == DeliveryState.Sent);
        // About 4 in 10 real ids hold a '/': give this one a known one, in the emulator and in the outbox alike.
        const string slashed = "wamid.HBgLNjI4MTIz/NDU2Nzg5FQIAEhgU+QzJBMEE1RjQ2/Q==";
        await server.InScopeAsync(async sp =>
        {
            var channel = sp.GetRequiredService<ChannelDbContext>();
            var wamid = (await channel.Set<OutboundMessage>().AsNoTracking().FirstAsync(m => m.Id == handle.Id)).ProviderMessageId!;
            var row = await channel.Set<SandboxMessage>().AsNoTracking().FirstAsync(m => m.Id == wamid);
            await channel.Set<SandboxMessage>().Where(m => m.Id == wamid).ExecuteDeleteAsync();
            row.Id = slashed;
            channel.Add(row);
            await channel.SaveChangesAsync();
            return await channel.Set<OutboundMessage>().Where(m => m.Id == handle.Id).ExecuteUpdateAsync(u => u.SetProperty(m => m.ProviderMessageId, slashed));
        });
        using var client = server.CreateClient();

        var encoded = await client.PostAsJsonAsync($"/dev/inbox/api/messages/{Uri.EscapeDataString(slashed)}/status", new { status = "delivered" });
        Assert.Equal(HttpStatusCode.NoContent, encoded.StatusCode);
        Assert.Equal(DeliveryState.Delivered, (await StatusWhenAsync(server, handle, s => s.State == DeliveryState.Delivered))!.State);

        var raw = await client.PostAsJsonAsync($"/dev/inbox/api/messages/{slashed}/status", new { status = "read" });
        Assert.Equal(HttpStatusCode.NoContent, raw.StatusCode);
        Assert.Equal(DeliveryState.Read, (await StatusWhenAsync(server, handle, s => s.State == DeliveryState.Read))!.State);

        var unknown = await client.PostAsJsonAsync("/dev/inbox/api/messages/wamid.none/status", new { status = "read" });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }
}
