using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.WaChannel.Codes;
using WaIdentity.WaChannel.Outbox;
using WaIdentity.WaChannel.Persistence;
using WaIdentity.WaChannel.Sandbox;
using WaIdentity.WaChannel.Webhooks;
using Xunit.Abstractions;
using static WaIdentity.Tests.Channel.ChannelTestKit;

namespace WaIdentity.Tests.Channel;

/// <summary>
/// Prints throughput over real HTTP and the real database: webhook ingestion (signed, stored, processed, with every
/// status sent twice so idempotency is exercised) and outbox dispatch to the emulator. Also checks the counts.
/// Not part of the test run (Category=Benchmark is filtered out by test.sh); bench/channel runs it and prints figures.
/// </summary>
[Trait("Category", "Benchmark")]
public sealed class ChannelBenchmarkTests(ITestOutputHelper output)
{
    private const int Messages = 100;

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Webhook_ingestion_and_outbox_dispatch_throughput(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var server = await IdpTestServer.StartAsync(db, Settings(("Channel:Sandbox:StatusDelayMilliseconds", "60000")));

        var dispatch = Stopwatch.StartNew();
        var handles = new List<MessageHandle>();
        for (var i = 0; i < Messages; i++) handles.Add(await SendAsync(server, NewPhone(), "123456", DeliveryPolicy.WhatsAppOnly));
        var accepted = await Eventually.ValueAsync(() => CountAsync(server, m => m.Dispatch == DispatchState.Accepted), n => n == Messages, TimeSpan.FromSeconds(60));
        dispatch.Stop();
        Assert.Equal(Messages, accepted);

        var wamids = await server.InScopeAsync(sp => sp.GetRequiredService<ChannelDbContext>().Set<OutboundMessage>().Select(m => m.ProviderMessageId!).ToListAsync());
        var bodies = wamids.SelectMany(w => new[] { "sent", "delivered", "delivered", "sent" }.Select(s => Body(w, s))).ToList();
        var ingest = Stopwatch.StartNew();
        using var client = server.CreateClient();
        await Parallel.ForEachAsync(bodies, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (body, ct) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/channel/webhooks/whatsapp") { Content = new ByteArrayContent(body) };
            request.Headers.Add(HubSignature.Header, HubSignature.Sign(SandboxCredentials.AppSecret, body));
            using var response = await client.SendAsync(request, ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        });
        var acknowledged = ingest.Elapsed;
        // Processed means every event handled, not only every message delivered: batches run side by side, so a
        // message's `sent` can be handled after its `delivered` (the history still records it, the state stays).
        var history = await Eventually.ValueAsync(
            () => server.InScopeAsync(sp => sp.GetRequiredService<ChannelDbContext>().Set<MessageStatusEvent>().CountAsync()), n => n == 3 * Messages, TimeSpan.FromSeconds(60));
        ingest.Stop();
        Assert.Equal(3 * Messages, history); // queued, sent, delivered: duplicates and the late `sent` changed nothing
        Assert.Equal(Messages, await CountAsync(server, m => m.State == DeliveryState.Delivered));

        var report = $"[{provider}] outbox dispatch: {Messages / dispatch.Elapsed.TotalSeconds:F0} messages/s ({Messages} in {dispatch.Elapsed.TotalMilliseconds:F0} ms); " +
                     $"webhook ingestion: {bodies.Count / acknowledged.TotalSeconds:F0} events/s acknowledged, {bodies.Count / ingest.Elapsed.TotalSeconds:F0} events/s processed ({bodies.Count} events, half duplicates)";
        output.WriteLine(report);
        Console.WriteLine(report);
    }

    private static byte[] Body(string wamid, string status) => Encoding.UTF8.GetBytes(
        "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{\"field\":\"messages\",\"value\":{\"messaging_product\":\"whatsapp\"," +
        $"\"statuses\":[{{\"id\":\"{wamid}\",\"status\":\"{status}\",\"timestamp\":\"{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}\",\"recipient_id\":\"1\"}}]}}}}]}}]}}");

    private static Task<int> CountAsync(IdpTestServer server, System.Linq.Expressions.Expression<Func<OutboundMessage, bool>> where) =>
        server.InScopeAsync(sp => sp.GetRequiredService<ChannelDbContext>().Set<OutboundMessage>().CountAsync(where));
}
