using System.Net;
using System.Net.Sockets;
using System.Text;

namespace WaIdentity.IdP.Gateway;

/// <summary>
/// POSTs one signed webhook. The HTTP client never follows redirects, and its connect step re-resolves the host
/// and refuses private addresses (<see cref="CallbackUrlPolicy"/>) right before connecting, so DNS rebinding
/// between registration and delivery gains nothing.
/// </summary>
internal sealed class WebhookSender(IHttpClientFactory http, TimeProvider clock)
{
    public const string HttpClientName = "gateway-webhooks";

    /// <returns>Null on a 2xx answer, else a short reason.</returns>
    public async Task<string?> SendAsync(WebhookDelivery delivery, string secret, CancellationToken ct)
    {
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url) { Content = new StringContent(delivery.Body, Encoding.UTF8, "application/json") };
        request.Headers.Add(CallbackSigner.TimestampHeader, timestamp.ToString());
        request.Headers.Add(CallbackSigner.SignatureHeader, CallbackSigner.Sign(secret, timestamp, delivery.Body));
        request.Headers.Add(CallbackSigner.EventHeader, delivery.Kind);
        request.Headers.Add(CallbackSigner.DeliveryHeader, delivery.Id);
        request.Headers.UserAgent.ParseAdd("WaIdentity-Webhooks/1");
        try
        {
            using var response = await http.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            return response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}";
        }
        catch (HttpRequestException e) { return Short(e.InnerException?.Message ?? e.Message); }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested) { return "timed out"; }
    }

    private static string Short(string s) => s.Length <= 300 ? s : s[..300];

    /// <summary>The primary handler: no redirects, no proxy, and the address check at connect time.</summary>
    public static SocketsHttpHandler CreateHandler(CallbackUrlPolicy policy) => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        UseCookies = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        ConnectCallback = async (context, ct) =>
        {
            // Resolved again here, at the moment of connecting, and the checked address is the one connected to.
            var (target, problem) = await policy.ResolveAsync(context.DnsEndPoint.Host, ct);
            if (target is null) throw new HttpRequestException(problem?.ToString());
            var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(target, context.DnsEndPoint.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}
