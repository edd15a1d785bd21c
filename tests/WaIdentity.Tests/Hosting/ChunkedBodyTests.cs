using System.Net.Sockets;
using System.Text;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Device;
using WaIdentity.Tests.Infrastructure;

namespace WaIdentity.Tests.Hosting;

/// <summary>A body sent without a length (chunked) is refused once it passes its endpoint's cap, not after it was read whole.</summary>
public sealed class ChunkedBodyTests
{
    private const long Offered = 64L * 1024 * 1024;

    [Theory]
    [InlineData("/channel/webhooks/gateway")]
    [InlineData("/channel/webhooks/whatsapp")]
    [InlineData("/channel/webhooks/sms")]
    public async Task A_chunked_webhook_body_over_the_cap_is_answered_413_before_the_sender_has_sent_it_all(string path)
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        // The host's own limit far above the webhooks' 1 MiB, so only the endpoint's reader can stop the body early.
        await using var server = await IdpTestServer.StartAsync(db, DeviceTestKit.Settings(("Hosting:MaxRequestBodyBytes", "104857600")));

        var (status, sent) = await PostChunkedAsync(server.BaseAddress, path);

        Assert.StartsWith("HTTP/1.1 413", status);
        Assert.True(sent < Offered, $"the answer came only after all {sent} bytes were sent: the body was read whole");
    }

    /// <summary>
    /// Streams 64 MiB of chunks over a raw connection, stopping as soon as the answer's status line arrives (or the
    /// server closes the connection). Returns the status line and how many body bytes went out before it.
    /// </summary>
    private static async Task<(string Status, long Sent)> PostChunkedAsync(Uri server, string path)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"POST {path} HTTP/1.1\r\nHost: {server.Authority}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"));
        using var answered = new CancellationTokenSource();
        var status = ReadStatusLineAsync(stream, answered);
        var data = new string('a', 64 * 1024);
        var frame = Encoding.ASCII.GetBytes($"{data.Length:x}\r\n{data}\r\n");
        long sent = 0;
        try
        {
            while (sent < Offered && !status.IsCompleted)
            {
                await stream.WriteAsync(frame, answered.Token);
                sent += data.Length;
            }
            if (!status.IsCompleted) await stream.WriteAsync("0\r\n\r\n"u8.ToArray(), answered.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException) { /* answered, or the server closed the connection */ }
        return (await status.WaitAsync(Channel.ChannelTestKit.Patience), sent);
    }

    private static async Task<string> ReadStatusLineAsync(NetworkStream stream, CancellationTokenSource answered)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (await stream.ReadAsync(one) == 1 && one[0] != '\n') line.Append((char)one[0]);
        await answered.CancelAsync();
        return line.ToString().TrimEnd('\r');
    }
}
