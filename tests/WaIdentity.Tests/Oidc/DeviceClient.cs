using System.Text.Json;
using WaIdentity.IdP.Oidc.Clients;

namespace WaIdentity.Tests.Oidc;

/// <summary>
/// What a TV or command-line app does with the device grant (RFC 8628): ask for codes, then poll the token endpoint.
/// The wait between polls is the server's TestClock moved on by the interval, so a test never sleeps.
/// </summary>
public sealed class DeviceClient(OidcTestHost host, string clientId = DeviceClient.ClientId)
{
    public const string ClientId = "tv";
    public const string DisplayName = "Living-room TV";
    public const string GrantType = "urn:ietf:params:oauth:grant-type:device_code";

    public int Interval { get; private set; }
    public string DeviceCode { get; private set; } = "";
    public string UserCode { get; private set; } = "";
    public string VerificationUriComplete { get; private set; } = "";

    public static Task RegisterAsync(OidcTestHost host, string[]? grants = null, bool requireSecondFactor = false) => host.Server.InScopeAsync(async sp =>
    {
        await sp.GetRequiredService<ClientRegistry>().CreateAsync(new ClientDefinition
        {
            ClientId = ClientId, DisplayName = DisplayName, Public = true, RequireSecondFactor = requireSecondFactor,
            GrantTypes = [.. grants ?? [GrantType, "refresh_token"]], Scopes = ["openid", "profile", "offline_access"],
        });
        return 0;
    });

    /// <summary>POST /connect/device; returns the status and body, and keeps the codes of a success.</summary>
    public async Task<(int Status, JsonElement Body)> StartAsync(string scope = "openid profile offline_access", string? loginHint = null, string? uiLocales = null)
    {
        using var http = host.Server.CreateClient();
        var form = new Dictionary<string, string> { ["client_id"] = clientId, ["scope"] = scope };
        if (loginHint is not null) form["login_hint"] = loginHint;
        if (uiLocales is not null) form["ui_locales"] = uiLocales;
        var response = await http.PostAsync("/connect/device", new FormUrlEncodedContent(form));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        if (response.IsSuccessStatusCode)
        {
            DeviceCode = body.GetProperty("device_code").GetString()!;
            UserCode = body.GetProperty("user_code").GetString()!;
            VerificationUriComplete = body.GetProperty("verification_uri_complete").GetString()!;
            Interval = body.GetProperty("interval").GetInt32();
        }
        return ((int)response.StatusCode, body);
    }

    /// <summary>One poll, right now.</summary>
    public async Task<(int Status, JsonElement Body)> PollAsync()
    {
        var (status, body, _) = await host.TokenAsync(new() { ["grant_type"] = GrantType, ["device_code"] = DeviceCode, ["client_id"] = clientId });
        return (status, body);
    }

    /// <summary>Waits the interval (the clock moves on), then polls.</summary>
    public Task<(int Status, JsonElement Body)> PollAfterIntervalAsync()
    {
        host.Server.Clock.Advance(TimeSpan.FromSeconds(Interval));
        return PollAsync();
    }

    /// <summary>The poll loop of a command-line client: polls at its interval while the answer is authorization_pending.</summary>
    public Task<(int Status, JsonElement Body)> PollUntilAnsweredAsync(TimeSpan within) =>
        Infrastructure.Eventually.ValueAsync(PollAfterIntervalAsync, r => Error(r.Body) != "authorization_pending", within);

    public static string? Error(JsonElement body) => body.TryGetProperty("error", out var e) ? e.GetString() : null;
}
