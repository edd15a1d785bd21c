using System.Net;
using System.Text.RegularExpressions;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.WaChannel.Codes;
using WaIdentity.WaChannel.MessageLog;
using static WaIdentity.Tests.Channel.ChannelTestKit;

namespace WaIdentity.Tests.Channel;

public sealed class DevInboxPageTests
{
    [Fact]
    public async Task The_page_lists_the_code_and_its_failed_button_makes_the_message_fall_back_to_sms()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        var phone = NewPhone();
        await using var server = await IdpTestServer.StartAsync(db, Settings(("Channel:Sandbox:UnreachableNumbers:0", phone)));
        var handle = await SendAsync(server, phone, "424242");
        await StatusWhenAsync(server, handle, s => s.State == DeliveryState.Sent);
        using var client = server.CreateClient();

        var page = await client.GetStringAsync($"/dev/inbox?to={Uri.EscapeDataString(phone)}");
        Assert.Contains("<code>424242</code>", page);
        Assert.DoesNotContain("http-equiv=\"refresh\"", page);
        var wamid = (await MessageAsync(server, handle.Id)).ProviderMessageId!;
        var token = Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        using var withoutToken = await client.PostAsync("/dev/inbox/status", new FormUrlEncodedContent(new Dictionary<string, string> { ["id"] = wamid, ["status"] = "failed" }));
        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);

        using var failed = await client.PostAsync("/dev/inbox/status", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["id"] = wamid, ["status"] = "failed", ["__RequestVerificationToken"] = token,
        }));

        Assert.Equal(HttpStatusCode.Redirect, failed.StatusCode);
        // The number is unreachable on both channels, so the SMS stays at "sent" as the WhatsApp message did.
        var status = await StatusWhenAsync(server, handle, s => s.FellBack && s.State == DeliveryState.Sent);
        Assert.True(status!.FellBack);
        var log = await server.InScopeAsync(sp => sp.GetRequiredService<MessageLogReader>().ListAsync(phone, 10, CancellationToken.None));
        Assert.Equal(2, log.Count);
        var whatsapp = Assert.Single(log, e => e.Channel == ChannelKind.WhatsApp);
        var sms = Assert.Single(log, e => e.Channel == ChannelKind.Sms);
        Assert.Equal(sms.Id, whatsapp.FallbackId);
        Assert.Equal(whatsapp.Id, sms.FallbackOfId);
        Assert.Equal([DeliveryState.Queued, DeliveryState.Sent, DeliveryState.Failed], whatsapp.History.Select(h => h.State).ToArray());
        Assert.Equal("131026", whatsapp.ErrorCode);
        Assert.StartsWith("SM", sms.ProviderMessageId);
    }
}
