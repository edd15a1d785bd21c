using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using WaIdentity.IdP.Gateway;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Channel;
using WaIdentity.Tests.Infrastructure;

namespace WaIdentity.Tests.Gateway;

/// <summary>The JavaScript receiver printed in docs/gateway.md, run by node, verifies a real signed callback and refuses a forged one.</summary>
public sealed class JavaScriptReceiverTests
{
    [Fact]
    public async Task The_documented_node_receiver_accepts_a_real_callback_and_refuses_a_forgery()
    {
        var script = Path.Combine(Path.GetTempPath(), $"waid-receiver-{Guid.NewGuid():N}.mjs");
        await File.WriteAllTextAsync(script, DocumentedExample());
        await using var host = await GatewayTestHost.StartAsync(DatabaseProvider.Sqlite);
        var secret = await host.ConfigureAsync("app", []);
        using var node = StartNode(script, secret!);
        try
        {
            var port = (await ReadLineAsync(node)).GetProperty("listening").GetInt32();
            var origin = $"http://127.0.0.1:{port}";
            await host.ConfigureAsync("app", [origin]);

            // A forged callback (wrong secret) is refused by the receiver.
            using (var forger = new HttpClient())
            {
                var body = "{\"id\":\"x\",\"status\":\"validated\",\"phone_number\":\"+6280000000000\"}";
                var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
                var forged = new HttpRequestMessage(HttpMethod.Post, origin + "/hooks") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                forged.Headers.Add(CallbackSigner.TimestampHeader, ts.ToString());
                forged.Headers.Add(CallbackSigner.SignatureHeader, CallbackSigner.Sign("whsec_wrong", ts, body));
                Assert.Equal(401, (int)(await forger.SendAsync(forged)).StatusCode);
            }
            Assert.False((await ReadLineAsync(node)).GetProperty("verified").GetBoolean());

            using var app = host.Api(await host.TokenAsync());
            var created = await app.GetFromJsonAsync<JsonElement>("/api/v1/verification_code?callback_url=" + Uri.EscapeDataString(origin + "/hooks"));
            var phone = ChannelTestKit.NewPhone();
            await host.SendInboundAsync(phone, "Verify: " + created.GetProperty("code").GetString(), "Dewi");
            var accepted = await ReadLineAsync(node);
            Assert.True(accepted.GetProperty("verified").GetBoolean());
            Assert.Equal(phone, accepted.GetProperty("event").GetProperty("phone_number").GetString());
            Assert.Equal(created.GetProperty("id").GetString(), accepted.GetProperty("event").GetProperty("id").GetString());
        }
        finally
        {
            node.Kill(entireProcessTree: true);
            File.Delete(script);
        }
    }

    /// <summary>The ```js block after the "example: webhook-receiver.mjs" marker in docs/gateway.md.</summary>
    private static string DocumentedExample()
    {
        var doc = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "gateway.md"));
        var match = Regex.Match(doc, @"<!-- example: webhook-receiver\.mjs -->\s*```js\n(.*?)```", RegexOptions.Singleline);
        Assert.True(match.Success, "docs/gateway.md has no webhook-receiver.mjs example");
        return match.Groups[1].Value;
    }

    private static Process StartNode(string script, string secret)
    {
        var psi = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(script);
        psi.Environment["WAIDENTITY_WEBHOOK_SECRET"] = secret;
        psi.Environment["PORT"] = "0";
        return Process.Start(psi)!;
    }

    private static async Task<JsonElement> ReadLineAsync(Process node)
    {
        // WaitAsync, not a token: a read on a pipe does not observe cancellation.
        var line = await node.StandardOutput.ReadLineAsync().WaitAsync(ChannelTestKit.Patience);
        if (line is null) Assert.Fail("node exited: " + await node.StandardError.ReadToEndAsync());
        return JsonDocument.Parse(line).RootElement.Clone();
    }
}
