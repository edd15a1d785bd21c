using Microsoft.EntityFrameworkCore;
using WaIdentity.IdP.Oidc.Clients;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.Tests.Oidc;

namespace WaIdentity.Tests.Admin;

/// <summary>The client page's back-channel logout fields, in both languages, on a desktop and a phone.</summary>
public sealed partial class AdminBrowserTests
{
    public static TheoryData<string, int, int> AllViews => new()
    {
        { "en-US", 1280, 800 }, { "en-US", 390, 844 }, { "id-ID", 1280, 800 }, { "id-ID", 390, 844 },
    };

    [Theory, MemberData(nameof(AllViews))]
    public async Task An_admin_sets_a_clients_back_channel_logout_uri_and_a_bad_one_is_named_next_to_its_field(string locale, int width, int height)
    {
        await using var host = await OidcTestHost.StartAsync(DatabaseProvider.Sqlite);
        await host.CreateClientAsync("notes");
        var (admin, _) = await AdminSignInAsync(host.Server, locale);
        await admin.SetViewportSizeAsync(width, height);
        var shots = new Screenshots(admin, $"client-backchannel-{locale[..2]}-{width}");
        await admin.GotoAsync(Url(host.Server, "/admin/clients/notes"));

        await admin.FillAsync("#Input_BackchannelLogoutUri", "https://notes.example/logout#frag");
        await admin.ClickAsync("#save");
        await admin.WaitForSelectorAsync("#error-BackchannelLogoutUri:not(:empty)", Patience);
        await shots.TakeAsync("refused");
        await PageChecks.AssertAccessibleAsync(admin);
        Assert.Null((await StoredAsync(host)).BackchannelLogoutUri);

        await admin.FillAsync("#Input_BackchannelLogoutUri", "http://127.0.0.1:9/backchannel");
        await admin.CheckAsync("#Input_BackchannelLogoutSessionRequired");
        await admin.ClickAsync("#save");
        await admin.WaitForSelectorAsync(".notice", Patience);
        await shots.TakeAsync("saved");
        var stored = await StoredAsync(host);
        Assert.Equal(("http://127.0.0.1:9/backchannel", true), (stored.BackchannelLogoutUri, stored.BackchannelLogoutSessionRequired));
        Assert.Equal(0, await admin.EvaluateAsync<int>("document.documentElement.scrollWidth > window.innerWidth ? 1 : 0"));
    }

    private static Task<OidcClient> StoredAsync(OidcTestHost host) =>
        host.Server.InScopeAsync(sp => sp.GetRequiredService<IdpDbContext>().Set<OidcClient>().AsNoTracking().SingleAsync(c => c.ClientId == "notes"));
}
