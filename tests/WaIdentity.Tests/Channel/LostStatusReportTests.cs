using System.Net.Http.Json;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.Tests.Login;
using WaIdentity.WaChannel.Codes;
using WaIdentity.WaChannel.Outbox;
using static WaIdentity.Tests.Channel.ChannelTestKit;

namespace WaIdentity.Tests.Channel;

/// <summary>
/// A code WhatsApp accepted but never reported on: the sandbox does not lose its reports in a restart (so it does
/// not make this case by itself), and when the case is real the code page says what happened instead of "WhatsApp
/// failed".
/// </summary>
public sealed class LostStatusReportTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Status_reports_the_sandbox_still_owed_are_posted_after_a_restart(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var phone = NewPhone();
        MessageHandle handle;
        // The emulator takes the message, then the process stops before the first status report is due. The test
        // clocks follow the wall clock, and a restart on a loaded machine once took longer than the default 60 s
        // delivery deadline (the code then went by SMS as well): this test is about the reports, not that deadline.
        await using (var stopped = await IdpTestServer.StartAsync(db, Settings(
            ("Channel:Sandbox:StatusDelayMilliseconds", "60000"), ("Channel:Fallback:DeliveredWithinSeconds", "3600"))))
        {
            handle = await SendAsync(stopped, phone, "808080");
            var accepted = await Eventually.ValueAsync(() => MessageAsync(stopped, handle.Id), m => m.Dispatch == DispatchState.Accepted, Patience);
            Assert.Equal((DispatchState.Accepted, DeliveryState.Queued), (accepted.Dispatch, accepted.State));
        }

        await using var restarted = await IdpTestServer.StartAsync(db, Settings());

        var status = await StatusWhenAsync(restarted, handle, s => s.State == DeliveryState.Delivered);
        Assert.Equal((ChannelKind.WhatsApp, DeliveryState.Delivered, false), (status!.Channel, status.State, status.FellBack));
        Assert.Equal(["whatsapp"], (await InboxAsync(restarted, phone)).Select(m => m.Channel));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_code_with_no_delivery_report_goes_by_sms_and_the_page_says_why(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var phone = NewPhone();
        // The phone is off: WhatsApp reports `sent`, never `delivered`.
        await using var server = await IdpTestServer.StartAsync(db, Settings(
            ("Channel:Sandbox:UnreachableNumbers:0", phone), ("Channel:Fallback:CheckIntervalSeconds", "1")));
        using var browser = server.CreateClient();
        await LoginForms.StartAsync(browser, phone);
        await Eventually.ValueAsync(() => PageStatusAsync(browser, "en"), s => s.State == "sent", Patience);

        server.Clock.Advance(TimeSpan.FromSeconds(61)); // past Channel:Fallback:DeliveredWithinSeconds (60)

        var english = await Eventually.ValueAsync(() => PageStatusAsync(browser, "en"), s => s.FellBack, Patience);
        Assert.Equal("No delivery report from WhatsApp; the code was also sent by SMS.", english.Text);
        var indonesian = await PageStatusAsync(browser, "id");
        Assert.Equal("Tidak ada laporan pengiriman dari WhatsApp; kode juga dikirim lewat SMS.", indonesian.Text);
        var received = await InboxWhenAsync(server, phone, i => i.Count == 2);
        Assert.Equal(["sms", "whatsapp"], received.Select(m => m.Channel).Order());
    }

    public sealed record PageStatus(string State, string Text, bool FellBack);

    private static async Task<PageStatus> PageStatusAsync(HttpClient browser, string language)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/login/code?handler=Status");
        request.Headers.AcceptLanguage.ParseAdd(language);
        using var response = await browser.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<PageStatus>())!;
    }
}
