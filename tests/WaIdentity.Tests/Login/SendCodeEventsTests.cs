using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Channel;
using WaIdentity.Tests.Infrastructure;

namespace WaIdentity.Tests.Login;

/// <summary>The send-code waiting page's server-sent events, read over real HTTP as EventSource would.</summary>
public sealed partial class SendCodeEventsTests
{
    private const string EventsPath = "/login/send-code/events";

    private static Dictionary<string, string?> Settings() =>
        WhatsAppOtpBrowserTests.Settings(("Login:SendCode:BusinessNumber", "+6281100000000"));

    /// <summary>Opens the waiting page in a fresh browser (own cookies: own flow) and returns the code it shows.</summary>
    private static async Task<(HttpClient Browser, string Code)> OpenWaitingPageAsync(IdpTestServer server)
    {
        var browser = server.CreateClient(new CookieContainer());
        var html = await browser.GetStringAsync("/login/send-code");
        return (browser, CodeShown().Match(html).Groups[1].Value);
    }

    private static async Task<(HttpResponseMessage Response, EventLines Lines)> OpenStreamAsync(HttpClient browser)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, EventsPath);
        request.Headers.Accept.ParseAdd("text/event-stream");
        var response = await browser.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return (response, new EventLines(new StreamReader(await response.Content.ReadAsStreamAsync())));
    }

    /// <summary>
    /// Reads the stream's lines in the background, so a test can wait for the next event with a timeout without
    /// cancelling a read (which would abort the connection).
    /// </summary>
    private sealed class EventLines
    {
        private readonly System.Threading.Channels.Channel<string> _lines = System.Threading.Channels.Channel.CreateUnbounded<string>();

        public EventLines(StreamReader reader) => _ = PumpAsync(reader);

        private async Task PumpAsync(StreamReader reader)
        {
            try { while (await reader.ReadLineAsync() is { } line) await _lines.Writer.WriteAsync(line); }
            catch (Exception e) when (e is IOException or HttpRequestException or ObjectDisposedException) { }
            _lines.Writer.TryComplete();
        }

        /// <summary>The next <c>data:</c> line, skipping comments; null when nothing comes in time.</summary>
        public async Task<string?> NextDataAsync(TimeSpan within)
        {
            using var timeout = new CancellationTokenSource(within);
            try
            {
                while (await _lines.Reader.ReadAsync(timeout.Token) is { } line)
                    if (line.StartsWith("data: ", StringComparison.Ordinal)) return line["data: ".Length..];
            }
            catch (OperationCanceledException) { }
            catch (System.Threading.Channels.ChannelClosedException) { }
            return null;
        }

        /// <summary>True once the server has closed the stream (after any lines still unread).</summary>
        public async Task<bool> EndsWithinAsync(TimeSpan within)
        {
            using var timeout = new CancellationTokenSource(within);
            try
            {
                while (await _lines.Reader.WaitToReadAsync(timeout.Token)) _lines.Reader.TryRead(out _);
                return true;
            }
            catch (OperationCanceledException) { return false; }
        }
    }

    private static async Task SendFromPhoneAsync(IdpTestServer server, string from, string code, string profileName)
    {
        using var client = server.CreateClient();
        var response = await client.PostAsJsonAsync("/dev/inbox/api/inbound",
            new { from, text = $"Log in to WaIdentity with this code: {code}", profileName });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_stream_tells_the_waiting_browser_when_its_code_is_sent_and_then_ends(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var server = await IdpTestServer.StartAsync(db, Settings());
        var (browser, code) = await OpenWaitingPageAsync(server);
        Assert.StartsWith("WAID-", code);

        var (response, stream) = await OpenStreamAsync(browser);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        Assert.Equal("no", response.Headers.GetValues("X-Accel-Buffering").Single());
        Assert.Null(await stream.NextDataAsync(TimeSpan.FromSeconds(1.5))); // nothing to tell while waiting

        await SendFromPhoneAsync(server, ChannelTestKit.NewPhone(), code, "Budi");

        var data = await stream.NextDataAsync(TimeSpan.FromSeconds(15));
        Assert.NotNull(data);
        using var json = JsonDocument.Parse(data);
        Assert.Equal("proven", json.RootElement.GetProperty("state").GetString());
        Assert.Equal("Budi", json.RootElement.GetProperty("profileName").GetString());
        Assert.True(await stream.EndsWithinAsync(TimeSpan.FromSeconds(5))); // the server closed the stream
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Another_browser_or_flow_hears_nothing_of_the_sent_code(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var server = await IdpTestServer.StartAsync(db, Settings());
        var (browser, code) = await OpenWaitingPageAsync(server);
        var (other, _) = await OpenWaitingPageAsync(server);

        using var noFlow = server.CreateClient(new CookieContainer());
        var (refused, _) = await OpenStreamAsync(noFlow);
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.NotEqual("text/event-stream", refused.Content.Headers.ContentType?.MediaType);

        var (_, mine) = await OpenStreamAsync(browser);
        var (otherResponse, theirs) = await OpenStreamAsync(other);
        Assert.Equal(HttpStatusCode.OK, otherResponse.StatusCode);
        await SendFromPhoneAsync(server, ChannelTestKit.NewPhone(), code, "Budi");

        Assert.Contains("proven", await mine.NextDataAsync(TimeSpan.FromSeconds(15)));
        Assert.Null(await theirs.NextDataAsync(TimeSpan.FromSeconds(3))); // its own code is still waiting
        Assert.Contains("\"waiting\"", await other.GetStringAsync("/login/send-code?handler=Status"));
    }

    [GeneratedRegex("<code id=\"send-code\">(WAID-[A-Z0-9]{8})</code>")]
    private static partial Regex CodeShown();
}
