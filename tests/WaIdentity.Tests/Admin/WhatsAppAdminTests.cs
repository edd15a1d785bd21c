using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Channel;
using WaIdentity.Tests.Infrastructure;

namespace WaIdentity.Tests.Admin;

/// <summary>The WhatsApp sender page: credentials are write-only and apply at once.</summary>
public sealed class WhatsAppAdminTests
{
    [Fact]
    public async Task A_token_saved_on_the_page_is_never_shown_and_the_sender_uses_it_at_once()
    {
        const string token = "EAAG-portal-token-0123456789";
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, ChannelTestKit.Settings());
        using var portal = await AdminPortal.SignInAsync(server);

        await portal.PostAsync("/admin/whatsapp", ("Channel:WhatsApp:AccessToken", token), ("Channel:WhatsApp:BusinessAccountId", "555000111"));
        var page = await portal.GetAsync("/admin/whatsapp");

        Assert.DoesNotContain(token, page);
        Assert.Contains("(set, hidden", page);
        Assert.Contains("value=\"555000111\"", page);
        Assert.DoesNotContain(token, await portal.GetAsync("/admin/audit"));
        // In Sandbox the emulator checks the Bearer token and account id against the same settings, so both calls
        // below succeed only if the sender and the template lookup read the new values without a restart.
        Assert.DoesNotContain("id=\"template-error\"", page);
        Assert.Contains("APPROVED", page);
        var endpoints = await server.InScopeAsync(sp => Task.FromResult(sp.GetRequiredService<WaIdentity.WaChannel.Providers.ProviderEndpoints>()));
        Assert.Equal((token, "555000111"), (endpoints.AccessToken, endpoints.BusinessAccountId));
        var phone = ChannelTestKit.NewPhone();
        var handle = await ChannelTestKit.SendAsync(server, phone, "135790", WaIdentity.WaChannel.Codes.DeliveryPolicy.WhatsAppOnly);
        var delivered = await ChannelTestKit.StatusWhenAsync(server, handle, s => s.State >= WaIdentity.WaChannel.Codes.DeliveryState.Delivered);
        Assert.Equal(WaIdentity.WaChannel.Codes.ChannelKind.WhatsApp, delivered!.Channel);
    }
}
