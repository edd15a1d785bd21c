using System.Text.Json;
using WaIdentity.IdP.Oidc.Clients;
using WaIdentity.IdP.Oidc.Logout;
using WaIdentity.IdP.Oidc.Tokens;

namespace WaIdentity.IdP.Gateway;

/// <summary>
/// Back-channel logouts on the outgoing-webhook queue (<see cref="BackChannelLogout"/> queues them here). One try (called
/// by <see cref="WebhookDeliveryQueue"/>) signs a fresh logout token for the stored event (same jti on every try) and
/// POSTs it as <c>logout_token=</c> through the webhooks' HTTP client, so the connect-time address rules of app webhooks
/// apply (<see cref="CallbackUrlPolicy"/>).
/// </summary>
internal sealed class LogoutTokenDelivery(WebhookQueue queue, ClientRegistry clients, TokenIssuer tokens, IHttpClientFactory http) : ILogoutTokenQueue
{
    public Task EnqueueAsync(string clientId, string backchannelLogoutUri, BackChannelLogout.Event logout, CancellationToken ct) =>
        queue.EnqueueAsync(clientId, BackChannelLogout.Kind, backchannelLogoutUri, logout, ct);

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
