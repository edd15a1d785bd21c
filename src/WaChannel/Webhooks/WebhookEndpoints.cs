using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using WaIdentity.WaChannel.Http;
using WaIdentity.WaChannel.Persistence;
using WaIdentity.WaChannel.Providers;
using WaIdentity.WaChannel.Telemetry;

namespace WaIdentity.WaChannel.Webhooks;

/// <summary>
/// The provider-facing webhooks. Each POST is checked against its signature over the exact bytes received (bad:
/// 401 and nothing stored), stored raw, and acknowledged at once; <see cref="WebhookProcessor"/> acts on it.
/// </summary>
internal static class WebhookEndpoints
{
    /// <summary>The largest webhook body taken from a provider or the device gateway.</summary>
    public const int MaxBodyBytes = 1 << 20;

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(WebhookPaths.WhatsApp, VerifyHandshake);
        app.MapPost(WebhookPaths.WhatsApp, ReceiveCloudApiAsync);
        app.MapPost(WebhookPaths.Sms, ReceiveSmsAsync);
    }

    /// <summary>Meta's subscription check: echo hub.challenge when hub.verify_token matches.</summary>
    private static IResult VerifyHandshake(HttpRequest request, ProviderEndpoints endpoints)
    {
        var q = request.Query;
        var expected = Encoding.UTF8.GetBytes(endpoints.VerifyToken);
        var given = Encoding.UTF8.GetBytes(q["hub.verify_token"].ToString());
        if (q["hub.mode"] != "subscribe" || expected.Length == 0 || !CryptographicOperations.FixedTimeEquals(expected, given))
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        return Results.Text(q["hub.challenge"].ToString(), "text/plain");
    }

    private static async Task<IResult> ReceiveCloudApiAsync(HttpRequest request, ProviderEndpoints endpoints, WebhookInbox inbox, CancellationToken ct)
    {
        var body = await CappedBody.ReadAsync(request, MaxBodyBytes, ct);
        if (body is null) return CappedBody.TooLarge;
        if (!HubSignature.IsValid(endpoints.AppSecret, body, request.Headers[HubSignature.Header])) return Results.Unauthorized();
        await inbox.StoreAsync("whatsapp", Encoding.UTF8.GetString(body), ct);
        return Results.Ok();
    }

    private static async Task<IResult> ReceiveSmsAsync(HttpRequest request, ProviderEndpoints endpoints, WebhookInbox inbox, CancellationToken ct)
    {
        var body = await CappedBody.ReadAsync(request, MaxBodyBytes, ct);
        if (body is null) return CappedBody.TooLarge;
        var raw = Encoding.UTF8.GetString(body);
        var form = QueryHelpers.ParseQuery(raw).SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string>(p.Key, v ?? ""))).ToList();
        var url = endpoints.PublicAddress() + request.PathBase + request.Path + request.QueryString;
        if (!TwilioSignature.IsValid(endpoints.SmsAuthToken, url, form, request.Headers[TwilioSignature.Header])) return Results.Unauthorized();
        await inbox.StoreAsync("sms", raw, ct);
        return Results.Ok();
    }
}
