using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using WaIdentity.IdP.Login;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.Tests.Login;
using WaIdentity.WaChannel.Codes;
using WaIdentity.WaChannel.Telemetry;

namespace WaIdentity.Tests.Channel;

/// <summary>
/// One login is one trace, as an operator finds it in a trace backend: the trace id the browser's login request came
/// with holds that request, the outbox's send to the provider (done later by the dispatcher), the delivery status (linked
/// to the provider's webhook request, a trace of its own) and the check of the code, which the browser posted in a
/// request of its own trace (linked both ways). No span carries the code or the phone number.
/// </summary>
public sealed partial class LoginTraceTests
{
    private const string AspNetCore = "Microsoft.AspNetCore";

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_code_login_from_page_to_verification_is_one_trace(DatabaseProvider provider)
    {
        using var spans = new RecordedSpans();
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var server = await IdpTestServer.StartAsync(db, ChannelTestKit.Settings());
        var phone = ChannelTestKit.NewPhone();
        var browser = server.CreateClient();
        var loginTrace = ActivityTraceId.CreateRandom();

        Traced(browser, loginTrace);
        await LoginForms.StartAsync(browser, phone);

        var message = Assert.Single(await Eventually.ValueAsync(() => ChannelTestKit.MessagesToAsync(server, phone),
            m => m.Count == 1 && m[0].State == DeliveryState.Delivered, ChannelTestKit.Patience));
        var ofMessage = await Eventually.ValueAsync(() => Task.FromResult(spans.Where(a => Equals(a.GetTagItem(ChannelTracing.MessageIdTag), message.Id))),
            found => found.Any(s => s.OperationName == "channel.status" && (string?)s.GetTagItem("waidentity.delivery.state") == nameof(DeliveryState.Delivered)),
            ChannelTestKit.Patience);

        // The page request: the POST that took the phone number and enqueued the code.
        var send = Assert.Single(ofMessage, s => s.OperationName == "channel.send");
        Assert.Equal(loginTrace, send.TraceId);
        Assert.Equal("Accepted", send.GetTagItem("waidentity.send.outcome"));
        var page = await spans.OneAsync(a => a.Source.Name == AspNetCore && a.Kind == ActivityKind.Server && a.SpanId == send.ParentSpanId);
        Assert.Equal(loginTrace, page.TraceId);

        // The delivery status is in the login's trace and links to the provider's webhook request, stored and
        // processed later: the link leads to the processing, a child of that request's server span.
        var delivered = Assert.Single(ofMessage, s => s.OperationName == "channel.status" && (string?)s.GetTagItem("waidentity.delivery.state") == nameof(DeliveryState.Delivered));
        Assert.Equal(loginTrace, delivered.TraceId);
        var webhook = await LinkedSpanAsync(spans, delivered, "channel.webhook");
        Assert.Equal("whatsapp", webhook.GetTagItem("waidentity.webhook.source"));
        var webhookRequest = await spans.OneAsync(a => a.Source.Name == AspNetCore && a.Kind == ActivityKind.Server && a.SpanId == webhook.ParentSpanId);
        Assert.NotEqual(loginTrace, webhookRequest.TraceId);

        // The code is typed in a later request with a trace of its own, as a browser without a tracer sends it.
        var code = (await ChannelTestKit.InboxWhenAsync(server, phone, items => items.Any(i => i.Code is not null))).First(i => i.Code is not null).Code!;
        var token = await LoginForms.TokenAsync(browser, "/login/code");
        var entryTrace = ActivityTraceId.CreateRandom();
        Traced(browser, entryTrace);
        var entered = await LoginForms.PostWithTokenAsync(browser, "/login/code", token, ("Code", code));
        Assert.Equal(HttpStatusCode.OK, entered.StatusCode);
        Assert.Equal("0;url=/?from=app", entered.Headers.GetValues("Refresh").Single()); // signed in, on its way back to the app

        // Other tests may log in meanwhile: this login's check is in its trace, or (were it not) in the entry's.
        var check = await spans.OneAsync(a => a.OperationName == "login.verify" && (a.TraceId == loginTrace || a.TraceId == entryTrace));
        Assert.Equal(loginTrace, check.TraceId);
        Assert.Equal(page.SpanId, check.ParentSpanId);
        Assert.Equal("success", check.GetTagItem(LoginTracing.OutcomeTag));
        Assert.Equal("otp", check.GetTagItem("waidentity.login.method"));
        var entry = await spans.OneAsync(a => a.Source.Name == AspNetCore && a.Kind == ActivityKind.Server && a.TraceId == entryTrace);
        Assert.Equal(entry.Context, Assert.Single(check.Links).Context);
        Assert.Contains(entry.Links, l => l.Context == check.Context);

        NothingSecretIn(spans, [loginTrace, entryTrace, webhookRequest.TraceId], phone, code);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_send_code_login_is_proven_in_the_trace_of_the_page_that_showed_the_code(DatabaseProvider provider)
    {
        using var spans = new RecordedSpans();
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var server = await IdpTestServer.StartAsync(db, WhatsAppOtpBrowserTests.Settings(("Login:SendCode:BusinessNumber", "+6281100000000")));
        var browser = server.CreateClient(new CookieContainer());
        var loginTrace = ActivityTraceId.CreateRandom();
        Traced(browser, loginTrace);
        var code = CodeShown().Match(await browser.GetStringAsync("/login/send-code")).Groups[1].Value;
        var phone = ChannelTestKit.NewPhone();

        using (var whatsApp = server.CreateClient())
        {
            var sent = await whatsApp.PostAsJsonAsync("/dev/inbox/api/inbound", new { from = phone, text = $"Log in to WaIdentity with this code: {code}", profileName = "Budi" });
            Assert.True(sent.IsSuccessStatusCode, await sent.Content.ReadAsStringAsync());
        }

        // Other tests may log in meanwhile: this login's check is the one in its trace.
        var check = await spans.OneAsync(a => a.OperationName == "login.verify" && a.TraceId == loginTrace);
        var page = await spans.OneAsync(a => a.Source.Name == AspNetCore && a.Kind == ActivityKind.Server && a.TraceId == loginTrace);
        Assert.Equal(page.SpanId, check.ParentSpanId);
        Assert.Equal("success", check.GetTagItem(LoginTracing.OutcomeTag));
        Assert.Equal("wa", check.GetTagItem("waidentity.login.method"));
        // It ran while the inbound webhook was processed: linked to that processing, in the webhook request's trace.
        var webhook = await LinkedSpanAsync(spans, check, "channel.webhook");
        await spans.OneAsync(a => a.Source.Name == AspNetCore && a.Kind == ActivityKind.Server && a.SpanId == webhook.ParentSpanId);
        Assert.Contains(webhook.Links, l => l.Context == check.Context);

        NothingSecretIn(spans, [loginTrace, webhook.TraceId], phone, code);
    }

    /// <summary>The one span the given span links to, in another trace.</summary>
    private static Task<Activity> LinkedSpanAsync(RecordedSpans spans, Activity from, string operation)
    {
        var link = Assert.Single(from.Links);
        Assert.NotEqual(from.TraceId, link.Context.TraceId);
        return spans.OneAsync(a => a.Context == link.Context && a.OperationName == operation);
    }

    private static void NothingSecretIn(RecordedSpans spans, ActivityTraceId[] traces, string phone, string code)
    {
        var digits = phone.TrimStart('+');
        foreach (var span in spans.Where(a => traces.Contains(a.TraceId)))
        foreach (var (key, value) in span.TagObjects)
        {
            var text = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "";
            Assert.False(text.Contains(digits, StringComparison.Ordinal), $"{span.OperationName} tag {key} holds the phone number");
            Assert.False(text.Contains(code, StringComparison.OrdinalIgnoreCase), $"{span.OperationName} tag {key} holds the code");
        }
    }

    /// <summary>Makes the client's next requests carry this trace id, as a browser-side tracer would.</summary>
    private static void Traced(HttpClient client, ActivityTraceId traceId)
    {
        client.DefaultRequestHeaders.Remove("traceparent");
        client.DefaultRequestHeaders.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
    }

    /// <summary>The spans of the host's requests, the channel and the login, as a trace backend would receive them.</summary>
    private sealed class RecordedSpans : IDisposable
    {
        private readonly ConcurrentQueue<Activity> _stopped = new();
        private readonly ActivityListener _listener;

        public RecordedSpans()
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = s => s.Name is AspNetCore or ChannelTracing.SourceName or LoginTracing.SourceName,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = _stopped.Enqueue,
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public List<Activity> Where(Func<Activity, bool> match) => _stopped.Where(match).ToList();

        /// <summary>The one span that matches, waiting for it: a span is recorded when it ends, which may be after
        /// the response or the state change a test waited for.</summary>
        public async Task<Activity> OneAsync(Func<Activity, bool> match) =>
            Assert.Single(await Eventually.ValueAsync(() => Task.FromResult(Where(match)), found => found.Count == 1, ChannelTestKit.Patience));

        public void Dispose() => _listener.Dispose();
    }

    [GeneratedRegex("<code id=\"send-code\">(WAID-[A-Z0-9]{8})</code>")]
    private static partial Regex CodeShown();
}
