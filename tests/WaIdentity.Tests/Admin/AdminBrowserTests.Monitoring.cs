using WaIdentity.Tests.Oidc;
using System.Globalization;
using Microsoft.Playwright;
using WaIdentity.IdP.Gateway;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Channel;
using WaIdentity.Tests.Gateway;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.WaChannel.Codes;

namespace WaIdentity.Tests.Admin;

/// <summary>The pages an admin watches from: message log, dashboard, dead-lettered webhooks, audit log.</summary>
public sealed partial class AdminBrowserTests
{
    [Fact]
    public async Task The_message_log_filtered_by_phone_and_state_shows_the_codes_timeline()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, ChannelTestKit.Settings());
        var admin = await AdminPageAsync(server);
        var phone = ChannelTestKit.NewPhone();
        var other = ChannelTestKit.NewPhone();
        var handle = await ChannelTestKit.SendAsync(server, phone, "123456");
        await ChannelTestKit.SendAsync(server, other, "654321");
        await ChannelTestKit.StatusWhenAsync(server, handle, s => s.State >= DeliveryState.Delivered);

        await admin.GotoAsync(Url(server, "/admin/messages"));
        await admin.FillAsync("input[name=phone]", phone);
        await admin.SelectOptionAsync("select[name=state]", "Delivered");
        await admin.ClickAsync("form.filters button[type=submit]");
        await admin.ArrivedAsync(u => u.Contains("state=Delivered", StringComparison.Ordinal));
        await admin.ParsedAsync();

        var rows = admin.Locator("#messages tbody tr");
        Assert.Equal(1, await rows.CountAsync());
        Assert.Contains(phone, await rows.InnerTextAsync());
        Assert.DoesNotContain("123456", await rows.InnerTextAsync()); // the code itself is never shown
        var timeline = await rows.Locator("ol.timeline li").AllInnerTextsAsync();
        Assert.Equal(["Queued", "Sent", "Delivered"], timeline.Select(t => t.Split(' ')[0]).Take(3));

        // The same phone, but only failed messages: this one is not listed.
        await admin.SelectOptionAsync("select[name=state]", "Failed");
        await admin.ClickAsync("form.filters button[type=submit]");
        await admin.ArrivedAsync(u => u.Contains("state=Failed", StringComparison.Ordinal));
        await admin.ParsedAsync();
        Assert.Equal(0, await admin.Locator("#messages tbody tr").CountAsync());
    }

    [Fact]
    public async Task The_dashboard_draws_every_series_and_the_traffic_rises_in_the_current_hour()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, ChannelTestKit.Settings());
        var admin = await AdminPageAsync(server);
        foreach (var _ in Enumerable.Range(0, 2))
        {
            var handle = await ChannelTestKit.SendAsync(server, ChannelTestKit.NewPhone(), "123456", DeliveryPolicy.WhatsAppOnly);
            await ChannelTestKit.StatusWhenAsync(server, handle, s => s.State >= DeliveryState.Delivered);
        }

        await admin.GotoAsync(Url(server, "/admin/messages/dashboard?hours=6"));
        var chart = admin.Locator("svg.chart");
        Assert.True(await chart.IsVisibleAsync());
        Assert.True((await chart.BoundingBoxAsync())!.Height > 100); // drawn, not an empty box
        var names = await admin.Locator("svg.chart polyline title").AllTextContentsAsync();
        Assert.Equal(["Sent", "Delivered", "Read", "Failed", "SMS fallback"], names);

        // The last point of a line is the current hour; the x axis sits at the largest y.
        var baseline = await LastPointYAsync(admin, "Failed");
        Assert.True(await LastPointYAsync(admin, "Sent") < baseline);
        Assert.True(await LastPointYAsync(admin, "Delivered") < baseline);
        Assert.Equal("2", await admin.InnerTextAsync("#latency dd >> nth=0"));
    }

    private static async Task<double> LastPointYAsync(IPage page, string series)
    {
        var points = await page.Locator($"svg.chart polyline:has(title:text-is('{series}'))").GetAttributeAsync("points");
        return double.Parse(points!.Split(' ')[^1].Split(',')[1], CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task A_dead_webhook_is_listed_without_its_body_and_the_replay_button_delivers_it()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var host = await GatewayTestHost.StartAsync(DatabaseProvider.Sqlite);
        var server = host.Oidc.Server;
        await host.ConfigureAsync("app", [], receiver.Origin + "/hooks", newSecret: true);
        var id = Guid.NewGuid().ToString("N");
        // As the delivery job leaves it after the last failed try.
        await server.InScopeAsync(async sp =>
        {
            var ctx = sp.GetRequiredService<IdpDbContext>();
            ctx.Add(new WebhookDelivery
            {
                Id = id, ClientId = "app", Kind = "inbound", Url = receiver.Origin + "/hooks", Body = "{\"text\":\"secret order 42\"}",
                State = WebhookState.Dead, Attempts = 8, LastError = "HTTP 500", CreatedAt = DateTimeOffset.UtcNow, NextAttemptAt = DateTimeOffset.UtcNow,
            });
            await ctx.SaveChangesAsync();
            return 0;
        });
        var admin = await AdminPageAsync(server);

        await admin.GotoAsync(Url(server, "/admin/webhooks"));
        var row = admin.Locator($"#delivery-{id}");
        Assert.Contains("HTTP 500", await row.InnerTextAsync());
        Assert.DoesNotContain("secret order 42", await admin.ContentAsync());
        await row.Locator("button[type=submit]").ClickAsync();
        await admin.WaitForSelectorAsync(".notice", Patience);
        Assert.Equal(0, await admin.Locator($"#delivery-{id}").CountAsync());

        var received = await Eventually.ValueAsync(() => Task.FromResult(receiver.Requests.ToList()), r => r.Count > 0, ChannelTestKit.Patience);
        var delivery = Assert.Single(received);
        Assert.Equal("/hooks", delivery.Path);
        Assert.Equal(id, delivery.Headers[CallbackSigner.DeliveryHeader]);
        Assert.Contains("secret order 42", delivery.Body);

        await admin.GotoAsync(Url(server, "/admin/audit"));
        var entry = admin.Locator("table.grid tbody tr", new() { HasText = "webhook.replay" });
        Assert.Contains($"webhook:{id}", await entry.InnerTextAsync());
    }

    [Fact]
    public async Task A_setting_saved_in_the_portal_appears_in_the_audit_log_with_who_and_before_and_after()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db);
        var (admin, who) = await AdminSignInAsync(server);

        await admin.GotoAsync(Url(server, "/admin/login-methods"));
        await admin.UncheckAsync("#f-Login-PasswordEnabled");
        await admin.ClickAsync("#save");
        await admin.WaitForSelectorAsync(".notice", Patience);
        await admin.GotoAsync(Url(server, "/admin/audit"));

        var entry = admin.Locator("table.grid > tbody > tr", new() { HasText = "settings.login-methods" });
        Assert.Equal(1, await entry.CountAsync());
        var cells = await entry.Locator("> td").AllInnerTextsAsync(); // when, who, what, target, changes
        Assert.Equal(who.Email, cells[1]); // the admin's address, not their id
        Assert.Equal("settings.login-methods", cells[2]);
        // A field diff, not JSON: the field, its value before and after.
        var row = entry.Locator("table.diff tr[data-field='Login:PasswordEnabled']");
        Assert.Equal("true", (await row.Locator("td.before").InnerTextAsync()).Trim(), ignoreCase: true);
        Assert.Equal("false", (await row.Locator("td.after").InnerTextAsync()).Trim(), ignoreCase: true);
        Assert.DoesNotContain("{", cells[4]);
    }

    [Fact]
    public async Task The_audit_log_lists_only_the_fields_a_client_edit_changed()
    {
        await using var host = await OidcTestHost.StartAsync(DatabaseProvider.Sqlite);
        await host.CreateClientAsync("notes");
        var admin = await AdminPageAsync(host.Server);
        await admin.GotoAsync(Url(host.Server, "/admin/clients/notes"));
        await admin.FillAsync("#Input_DisplayName", "Notes app");
        await admin.ClickAsync("#save");
        await admin.WaitForSelectorAsync(".notice", Patience);

        await admin.GotoAsync(Url(host.Server, "/admin/audit"));
        var entry = admin.Locator("table.grid > tbody > tr", new() { HasText = "client.update" });
        var fields = await entry.Locator("table.diff tbody tr").EvaluateAllAsync<string[]>("rs => rs.map(r => r.dataset.field)");
        Assert.Equal(["Settings.DisplayName"], fields);
        Assert.Equal("Notes app", await entry.Locator("tr[data-field='Settings.DisplayName'] td.after").InnerTextAsync());
    }
}
