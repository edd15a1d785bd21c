using System.Net.Http.Headers;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WaIdentity.WaChannel.Device;

namespace WaIdentity.WaChannel.Sandbox;

/// <summary>The sandbox gateway's outgoing webhooks: signed as the gateway signs them, posted by one sender in the order they happened.</summary>
internal sealed class DeviceGatewayWebhooks(
    IHttpClientFactory http, IHostApplicationLifetime lifetime, TimeProvider clock, ILogger<DeviceGatewayWebhooks> log)
{
    private readonly Channel<(string Url, string Key, string Body)> _queue = Channel.CreateUnbounded<(string, string, string)>();
    private int _senderStarted;

    public void Post(string url, string hmacKey, string body)
    {
        _queue.Writer.TryWrite((url, hmacKey, body));
        if (Interlocked.Exchange(ref _senderStarted, 1) == 0) _ = Task.Run(SendAsync);
    }

    private async Task SendAsync()
    {
        var stopping = lifetime.ApplicationStopping;
        try
        {
            await foreach (var (url, key, body) in _queue.Reader.ReadAllAsync(stopping))
                for (var attempt = 1; attempt <= 3 && !await PostAsync(url, key, body, stopping); attempt++)
                    await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), clock, stopping);
        }
        catch (OperationCanceledException) { }
    }

    private async Task<bool> PostAsync(string url, string key, string body, CancellationToken ct)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Webhook-Request-Id", Guid.NewGuid().ToString("N"));
        request.Headers.Add(GatewayWebhookEndpoint.TimestampHeader, clock.GetUtcNow().ToUnixTimeMilliseconds().ToString());
        if (key.Length > 0)
        {
            request.Headers.Add(GatewayWebhookEndpoint.HmacHeader, GatewayWebhookEndpoint.Sign(key, bytes));
            request.Headers.Add("X-Webhook-Hmac-Algorithm", "sha512");
        }
        try
        {
            using var response = await http.CreateClient(SandboxStatusSender.HttpClientName).SendAsync(request, ct);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException e)
        {
            log.LogWarning("Sandbox gateway webhook failed: {Error}", e.HttpRequestError);
            return false;
        }
    }
}
