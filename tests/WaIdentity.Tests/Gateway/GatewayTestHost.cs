using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using WaIdentity.IdP.Gateway;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Channel;
using WaIdentity.Tests.Oidc;

namespace WaIdentity.Tests.Gateway;

/// <summary>
/// The IdP with the sandbox channel and an API client "app" (client_credentials, every wa.* scope): gets tokens from
/// the real token endpoint and calls the gateway API over HTTP.
/// </summary>
public sealed class GatewayTestHost : IAsyncDisposable
{
    public const string BusinessNumber = "+6281100000000";
    public OidcTestHost Oidc { get; }
    public string AppSecret { get; private set; } = "";

    private GatewayTestHost(OidcTestHost oidc) => Oidc = oidc;

    public static Task<GatewayTestHost> StartAsync(DatabaseProvider provider, params (string Key, string? Value)[] extra) =>
        StartAsync(provider, "Development", extra);

    /// <summary>The same host as a Staging server: outside Development, with the keys required there and the channel
    /// left on Auto (Disabled in Staging without a provider: nothing is sent).</summary>
    public static Task<GatewayTestHost> StartOutsideDevelopmentAsync(DatabaseProvider provider, params (string Key, string? Value)[] extra) =>
        StartAsync(provider, "Staging", [("DataProtection:KeyEncryptionKey", Convert.ToBase64String(new byte[32].Select((_, i) => (byte)(i + 7)).ToArray())),
            ("Login:Otp:CodeHashKey", Convert.ToBase64String(new byte[32].Select((_, i) => (byte)(i + 11)).ToArray())), .. extra]);

    private static async Task<GatewayTestHost> StartAsync(DatabaseProvider provider, string environment, (string Key, string? Value)[] extra)
    {
        var settings = ChannelTestKit.Settings([("Gateway:BusinessNumber", BusinessNumber), ("Gateway:Webhooks:DeliveryIntervalSeconds", "1"), .. extra]);
        var host = new GatewayTestHost(await OidcTestHost.StartAsync(provider, settings, environment));
        host.AppSecret = (await host.CreateApiClientAsync("app", GatewayScopes.All))!;
        return host;
    }

    public Task<string?> CreateApiClientAsync(string clientId, string[] scopes) =>
        Oidc.CreateClientAsync(clientId, grants: ["client_credentials"], scopes: scopes);

    public async Task<string> TokenAsync(string clientId = "app", string? secret = null, string? scope = null)
    {
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials" };
        if (scope is not null) form["scope"] = scope;
        var r = await Oidc.TokenAsync(form, clientId, secret ?? AppSecret);
        Assert.Equal(200, r.Status);
        return r.Body.GetProperty("access_token").GetString()!;
    }

    public HttpClient Api(string? token)
    {
        var http = Oidc.Server.CreateClient();
        if (token is not null) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    /// <summary>Sets the client's gateway settings the way the CLI does; returns the webhook secret when one was generated.</summary>
    public Task<string?> ConfigureAsync(string clientId, string[]? origins, string? webhookUrl = null, bool newSecret = false) => Oidc.Server.InScopeAsync(async sp =>
    {
        var (secret, problems) = await sp.GetRequiredService<GatewayClientSettings>().ConfigureAsync(clientId, origins, webhookUrl, newSecret);
        Assert.Empty(problems);
        return secret;
    });

    /// <summary>The user sends a WhatsApp message to the business number (the dev inbox's inbound API).</summary>
    public async Task SendInboundAsync(string from, string text, string? profileName = null)
    {
        using var http = Oidc.Server.CreateClient();
        var response = await http.PostAsJsonAsync("/dev/inbox/api/inbound", new { from, text, profileName });
        Assert.Equal(202, (int)response.StatusCode);
    }

    public static async Task<(int Status, JsonElement Body, HttpResponseMessage Response)> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        var body = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return ((int)response.StatusCode, body, response);
    }

    public static void AssertProblem(HttpResponseMessage response, JsonElement body, int status, string kind)
    {
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(GatewayProblem.TypeBase + kind, body.GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("title").GetString()));
    }

    public ValueTask DisposeAsync() => Oidc.DisposeAsync();
}
