using System.Collections.Concurrent;
using System.Diagnostics;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.Tests.Login;
using WaIdentity.WaChannel.Codes;
using WaIdentity.WaChannel.Telemetry;

namespace WaIdentity.Tests.Channel;

/// <summary>
/// One login is one trace: the login page's request, the outbox's send to the provider (done later by the dispatcher)
/// and the provider's status webhook share the trace id the browser's request came with.
/// </summary>
public sealed class LoginTraceTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_login_page_the_send_and_the_delivery_status_share_one_trace(DatabaseProvider provider)
    {
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "Microsoft.AspNetCore" or ChannelTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var server = await IdpTestServer.StartAsync(db, ChannelTestKit.Settings());
        var phone = ChannelTestKit.NewPhone();
        var traceId = ActivityTraceId.CreateRandom();
        var client = server.CreateClient();
        client.DefaultRequestHeaders.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");

        await LoginForms.StartAsync(client, phone);

        var message = Assert.Single(await Eventually.ValueAsync(() => ChannelTestKit.MessagesToAsync(server, phone),
            m => m.Count == 1 && m[0].State == DeliveryState.Delivered, ChannelTestKit.Patience));
        var ofMessage = await Eventually.ValueAsync(() => Task.FromResult(stopped.Where(a => Equals(a.GetTagItem(ChannelTracing.MessageIdTag), message.Id)).ToList()),
            spans => spans.Any(s => s.OperationName == "channel.status" && (string?)s.GetTagItem("waidentity.delivery.state") == nameof(DeliveryState.Delivered)),
            ChannelTestKit.Patience);

        var send = Assert.Single(ofMessage, s => s.OperationName == "channel.send");
        var delivered = Assert.Single(ofMessage, s => s.OperationName == "channel.status" && (string?)s.GetTagItem("waidentity.delivery.state") == nameof(DeliveryState.Delivered));
        Assert.Equal(traceId, send.TraceId);
        Assert.Equal(traceId, delivered.TraceId);
        // The send's parent is the login page's request (the POST that enqueued the code), not a span of its own.
        Assert.Contains(stopped, a => a.Source.Name == "Microsoft.AspNetCore" && a.Kind == ActivityKind.Server
            && a.TraceId == traceId && a.SpanId == send.ParentSpanId);
        Assert.Equal("Accepted", send.GetTagItem("waidentity.send.outcome"));
    }
}
