using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using WaIdentity.WaChannel.Http;
using WaIdentity.WaChannel.Webhooks;

namespace WaIdentity.WaChannel.Device;

/// <summary>
/// POST /channel/webhooks/gateway: the gateway's `message`, `message.ack` and `session.status` events. The X-Webhook-Hmac
/// (HMAC-SHA512 over the raw body) must match and the X-Webhook-Timestamp, which the HMAC does not cover, must be
/// recent; otherwise 401 and nothing is stored. Verified bodies are stored and handled off the request path.
/// </summary>
public static class GatewayWebhookEndpoint
{
    public const string HmacHeader = "X-Webhook-Hmac";
    public const string TimestampHeader = "X-Webhook-Timestamp";
    public const string Source = "gateway";

    public static void Map(IEndpointRouteBuilder app) => app.MapPost(GatewayEndpoint.WebhookPath, ReceiveAsync);

    public static string Sign(string key, byte[] body) => Convert.ToHexStringLower(HMACSHA512.HashData(Encoding.UTF8.GetBytes(key), body));

    private static async Task<IResult> ReceiveAsync(
        HttpRequest request, GatewayEndpoint endpoint, IOptions<DeviceOptions> options, WebhookInbox inbox, TimeProvider clock, CancellationToken ct)
    {
        if (!endpoint.IsActive) return Results.NotFound();
        var body = await CappedBody.ReadAsync(request, WebhookEndpoints.MaxBodyBytes, ct);
        if (body is null) return CappedBody.TooLarge;
        if (!SignatureMatches(endpoint.HmacKey, body, request.Headers[HmacHeader].ToString())) return Results.Unauthorized();
        if (!IsFresh(request.Headers[TimestampHeader].ToString(), options.Value.WebhookMaxAgeSeconds, clock)) return Results.Unauthorized();
        await inbox.StoreAsync(Source, Encoding.UTF8.GetString(body), ct);
        return Results.Ok();
    }

    private static bool SignatureMatches(string key, byte[] body, string given)
    {
        if (key.Length == 0 || given.Length != 128) return false;
        var expected = Encoding.ASCII.GetBytes(Sign(key, body));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(given.ToLowerInvariant()));
    }

    /// <summary>Older gateways send no timestamp; then dedupe by message id is the only replay guard.</summary>
    private static bool IsFresh(string header, int maxAgeSeconds, TimeProvider clock)
    {
        if (header.Length == 0) return true;
        if (!long.TryParse(header, out var ms)) return false;
        var age = clock.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(ms);
        return age.Duration() <= TimeSpan.FromSeconds(maxAgeSeconds);
    }
}
