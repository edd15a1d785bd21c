using System.Net.Http.Json;
using Microsoft.Playwright;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Channel;
using WaIdentity.Tests.Device;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.Tests.Login;

namespace WaIdentity.Tests.Admin;

/// <summary>The WhatsApp page's test message as WhatsAuth's "Kirim Pesan": a free text to a person and to a group through
/// the linked device, and the 24-hour rule explained when the Cloud API refuses a free text.</summary>
public sealed class AdminTestMessageBrowserTests(LoginBrowser browser) : BrowserTests(browser)
{
    private static readonly PageWaitForSelectorOptions Patience = new() { Timeout = 90_000 };

    private static string Url(IdpTestServer server, string path) => new Uri(server.BaseAddress, path).ToString();

    private static async Task SendTestAsync(IPage admin, IdpTestServer server, string mode, string to, string text)
    {
        await admin.GotoAsync(Url(server, "/admin/whatsapp"));
        await admin.CheckAsync($"#test-mode-{mode}");
        await admin.FillAsync("#test-phone", to);
        await admin.FillAsync("#test-text", text);
        await admin.ClickAsync("#send-test");
        await admin.WaitForSelectorAsync("#test-status", Patience);
    }

    /// <summary>Reloads the page's test status until the message reached one of <paramref name="states"/>.</summary>
    private static async Task<string> StateWhenAsync(IPage admin, params string[] states) =>
        await Eventually.ValueAsync(async () =>
        {
            await admin.ReloadAsync();
            return await admin.InnerTextAsync("#test-state");
        }, s => states.Contains(s), DeviceTestKit.Patience);

    [Fact]
    public async Task A_free_text_goes_to_a_person_and_a_group_through_the_device_and_the_cloud_apis_refusal_is_explained()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, DeviceTestKit.Settings());
        await DeviceTestKit.PairByQrAsync(server, "+6281100000000");
        using var portal = await AdminPortal.SignInAsync(server);
        var admin = await browser.NewPageAsync();
        await admin.Context.AddCookiesAsync(portal.Cookies.GetCookies(server.BaseAddress)
            .Select(c => new Cookie { Name = c.Name, Value = c.Value, Url = server.BaseAddress.ToString() }));
        var phone = ChannelTestKit.NewPhone();

        // The person never wrote to the business number: the Cloud API refuses free text, and the page says why.
        await SendTestAsync(admin, server, "text", phone, "Halo dari admin");
        Assert.Equal("failed", await StateWhenAsync(admin, "failed"));
        Assert.Contains("24 hours", await admin.InnerTextAsync("#window-rule"));

        // Through the linked device the same text reaches them.
        await SendTestAsync(admin, server, "device-text", phone, "Halo lewat perangkat");
        Assert.Equal("delivered", await StateWhenAsync(admin, "delivered", "read"));
        Assert.Equal(0, await admin.Locator("#window-rule").CountAsync());
        var inbox = await ChannelTestKit.InboxWhenAsync(server, phone, m => m.Any(i => i.Text == "Halo lewat perangkat"));
        Assert.Equal("gateway", inbox.Single(i => i.Text == "Halo lewat perangkat").Channel);

        using var http = server.CreateClient();
        var created = await http.PostAsJsonAsync("/dev/inbox/api/device/groups", new { subject = "Warung", members = new[] { phone } });
        var group = (await created.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetString()!;
        await SendTestAsync(admin, server, "group", group, "Rapat jam 9");
        await StateWhenAsync(admin, "delivered", "read");
        Assert.Equal("Rapat jam 9", Assert.Single(await ChannelTestKit.InboxWhenAsync(server, group, m => m.Count == 1)).Text);

        // A group id that is not one is refused next to the form, nothing sent.
        await admin.GotoAsync(Url(server, "/admin/whatsapp"));
        await admin.CheckAsync("#test-mode-group");
        await admin.FillAsync("#test-phone", "not-a-group");
        await admin.FillAsync("#test-text", "x");
        await admin.ClickAsync("#send-test");
        await admin.WaitForSelectorAsync("#test-error", Patience);
    }

    public static TheoryData<string, int, int> Views => new()
    {
        { "en-US", 1280, 800 }, { "en-US", 390, 844 }, { "id-ID", 1280, 800 }, { "id-ID", 390, 844 },
    };

    /// <summary>The test form and the 24-hour explanation in both languages, on a desktop and a phone (screenshots saved).</summary>
    [Theory, MemberData(nameof(Views))]
    public async Task The_test_form_and_the_window_explanation_are_accessible_and_fit_a_phone(string locale, int width, int height)
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, DeviceTestKit.Settings());
        using var portal = await AdminPortal.SignInAsync(server);
        var admin = await browser.NewPageAsync(locale);
        await admin.Context.AddCookiesAsync(portal.Cookies.GetCookies(server.BaseAddress)
            .Select(c => new Cookie { Name = c.Name, Value = c.Value, Url = server.BaseAddress.ToString() }));
        await admin.SetViewportSizeAsync(width, height);
        var shots = new Screenshots(admin, $"admin-whatsapp-test-{locale[..2]}-{width}");

        await SendTestAsync(admin, server, "text", ChannelTestKit.NewPhone(), "Halo dari admin");
        await StateWhenAsync(admin, "failed");
        await admin.Locator("#test-title").ScrollIntoViewIfNeededAsync();
        await shots.TakeAsync("window-rule");
        await PageChecks.AssertAccessibleAsync(admin);
        Assert.True(await admin.EvaluateAsync<int>("document.documentElement.scrollWidth") <= width, "the WhatsApp page scrolls sideways");
    }
}
