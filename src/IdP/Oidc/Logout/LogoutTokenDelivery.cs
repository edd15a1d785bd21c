using System.Text.Json;
using WaIdentity.IdP.Gateway;
using WaIdentity.IdP.Oidc.Clients;
using WaIdentity.IdP.Oidc.Tokens;

namespace WaIdentity.IdP.Oidc.Logout;

/// <summary>
/// One try of a queued back-channel logout (called by <see cref="WebhookDeliveryQueue"/>): signs a fresh logout token for
/// the stored event (same jti on every try) and POSTs it as <c>logout_token=</c> through the webhooks' HTTP client, so
/// the connect-time address rules of app webhooks apply (<see cref="CallbackUrlPolicy"/>).
/// </summary>
public sealed class LogoutTokenDelivery(ClientRegistry clients, TokenIssuer tokens, IHttpClientFactory http)
{
    /// <returns>Null on a 2xx answer, else a short reason (never the token).</returns>
    public async Task<string?> SendAsync(WebhookDelivery delivery, CancellationToken ct)
    {
        var e = JsonSerializer.Deserialize<BackChannelLogout.Event>(delivery.Body, JsonBody.Snake)!;
        if (await clients.FindAsync(delivery.ClientId, ct) is not { } client) return "the client no longer exists or is disabled";
        var token = await tokens.CreateLogoutTokenAsync(e.Iss, client, e.Sub, e.Sid, e.Jti, ct);
        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url)
        {
            Content = new FormUrlEncodedContent([new KeyValuePair<string, string>("logout_token", token)]),
        };
        request.Headers.UserAgent.ParseAdd("WaIdentity-Webhooks/1");
        try
        {
            using var response = await http.CreateClient(WebhookSender.HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            return response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}";
        }
        catch (HttpRequestException x) { return Short(x.InnerException?.Message ?? x.Message); }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested) { return "timed out"; }
    }

    private static string Short(string s) => s.Length <= 300 ? s : s[..300];
}
