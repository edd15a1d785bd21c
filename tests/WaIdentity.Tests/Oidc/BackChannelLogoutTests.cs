using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using WaIdentity.IdP.Gateway;
using WaIdentity.IdP.Oidc.Clients;
using WaIdentity.IdP.Persistence;
using WaIdentity.IdP.Sessions;
using WaIdentity.Tests.Admin;
using WaIdentity.Tests.Channel;
using WaIdentity.Tests.Gateway;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.Tests.Login;

namespace WaIdentity.Tests.Oidc;

/// <summary>
/// OIDC Back-Channel Logout 1.0 seen by a relying party: a listener on loopback stands for the app's
/// backchannel_logout_uri and checks each logout token as an RP must (signature against the published JWKS, typ,
/// iss, aud, iat/exp, jti, sub, sid, the event, no nonce).
/// </summary>
public sealed class BackChannelLogoutTests
{
    private const string Event = "http://schemas.openid.net/event/backchannel-logout";

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Rp_initiated_logout_sends_a_signed_logout_token_to_each_app_with_a_back_channel_uri_only(DatabaseProvider provider)
    {
        await using var rp = await WebhookReceiver.StartAsync();
        await using var host = await StartAsync(provider);
        var shopSecret = await CreateClientAsync(host, "shop", rp, "RS256");
        var plainSecret = await CreateClientAsync(host, "plain", null);
        var browser = host.Browser();
        var idToken = await SignInAsync(host, browser, "shop", shopSecret);
        await SignInAsync(host, browser, "plain", plainSecret);

        var logout = await browser.GetAsync($"/connect/endsession?id_token_hint={idToken}&post_logout_redirect_uri=http://127.0.0.1:9/bye");
        Assert.Equal(HttpStatusCode.SeeOther, logout.StatusCode);

        var received = await ReceivedAsync(rp, 1);
        Assert.Equal("/logout/shop", received[0].Path);
        await AssertLogoutTokenAsync(host, received[0], "shop", Sid(idToken));
        await ChannelTestKit.QuietAsync(host.Server);
        Assert.Single(rp.Requests);
        Assert.Equal(0, await DeliveriesAsync(host, "plain"));
    }

    [Fact]
    public async Task Signing_out_everywhere_on_the_account_page_tells_the_apps_of_the_other_sessions()
    {
        await using var rp = await WebhookReceiver.StartAsync();
        await using var host = await StartAsync(DatabaseProvider.Sqlite);
        var secret = await CreateClientAsync(host, "shop", rp);
        var laptop = host.Browser();
        var idToken = await SignInAsync(host, laptop, "shop", secret);
        using var phone = host.Server.CreateClient(await SignedInSession.SignInAsync(host.Server, host.UserId, AuthenticationLevels.OneFactor));

        var html = await phone.GetStringAsync("/account");
        var response = await LoginForms.PostWithTokenAsync(phone, "/account?handler=EndOthers", AntiforgeryToken.In(html));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var received = await ReceivedAsync(rp, 1);
        await AssertLogoutTokenAsync(host, received[0], "shop", Sid(idToken));
        Assert.Equal(HttpStatusCode.OK, (await phone.GetAsync("/account")).StatusCode);
    }

    [Fact]
    public async Task An_admin_ending_a_users_sessions_tells_their_apps_and_a_failing_app_is_tried_again()
    {
        await using var rp = await WebhookReceiver.StartAsync();
        rp.FailFirst = 1;
        await using var host = await StartAsync(DatabaseProvider.Sqlite);
        var secret = await CreateClientAsync(host, "shop", rp);
        var idToken = await SignInAsync(host, host.Browser(), "shop", secret);
        using var portal = await AdminPortal.SignInAsync(host.Server);

        Assert.Equal(HttpStatusCode.Redirect, (await portal.PostAsync($"/admin/users/{host.UserId}?handler=RevokeSessions")).StatusCode);

        // The first answer is a 500: the queue tries again, with a freshly signed token for the same event (same jti).
        var received = await ReceivedAsync(rp, 2);
        var first = await AssertLogoutTokenAsync(host, received[0], "shop", Sid(idToken));
        var second = await AssertLogoutTokenAsync(host, received[1], "shop", Sid(idToken));
        Assert.Equal(first.GetClaim("jti").Value, second.GetClaim("jti").Value);
        var delivery = await host.Server.InScopeAsync(sp => sp.GetRequiredService<IdpDbContext>().Set<WebhookDelivery>().SingleAsync(d => d.ClientId == "shop"));
        Assert.Equal((WebhookState.Delivered, 2), (delivery.State, delivery.Attempts));
        Assert.DoesNotContain(received[1].Body["logout_token=".Length..], delivery.Body);
    }

    [Fact]
    public async Task Outside_development_a_loopback_back_channel_uri_is_never_called()
    {
        await using var rp = await WebhookReceiver.StartAsync();
        await using var host = await StartAsync(DatabaseProvider.Sqlite, ("Gateway:Webhooks:AllowPrivateAddresses", "false"), ("Gateway:Webhooks:MaxAttempts", "1"));
        var secret = await CreateClientAsync(host, "shop", rp);
        var browser = host.Browser();
        var idToken = await SignInAsync(host, browser, "shop", secret);

        await browser.GetAsync($"/connect/endsession?id_token_hint={idToken}");

        var delivery = await Eventually.ValueAsync(() => host.Server.InScopeAsync(sp => sp.GetRequiredService<IdpDbContext>().Set<WebhookDelivery>()
            .AsNoTracking().FirstOrDefaultAsync(d => d.ClientId == "shop" && d.State == WebhookState.Dead)), d => d is not null, TimeSpan.FromSeconds(60));
        Assert.Contains("loopback, private or reserved address", delivery!.LastError);
        Assert.Empty(rp.Requests);
    }

    [Fact]
    public async Task Discovery_advertises_back_channel_logout_with_sid()
    {
        await using var host = await OidcTestHost.StartAsync(DatabaseProvider.Sqlite);
        var discovery = JsonDocument.Parse(await host.Browser().GetStringAsync("/.well-known/openid-configuration")).RootElement;
        Assert.True(discovery.GetProperty("backchannel_logout_supported").GetBoolean());
        Assert.True(discovery.GetProperty("backchannel_logout_session_supported").GetBoolean());
    }

    private static Task<OidcTestHost> StartAsync(DatabaseProvider provider, params (string Key, string? Value)[] extra) =>
        OidcTestHost.StartAsync(provider, new Dictionary<string, string?>(
            [new("Gateway:Webhooks:DeliveryIntervalSeconds", "1"), new("Gateway:Webhooks:RetryBaseSeconds", "1"),
             .. extra.Select(e => new KeyValuePair<string, string?>(e.Key, e.Value))]));

    private static Task<string?> CreateClientAsync(OidcTestHost host, string clientId, WebhookReceiver? rp, string alg = "ES256") =>
        host.Server.InScopeAsync(async sp => (await sp.GetRequiredService<ClientRegistry>().CreateAsync(new ClientDefinition
        {
            ClientId = clientId, FirstParty = true, SigningAlgorithm = alg, Secret = new string('s', 40) + clientId,
            RedirectUris = [OidcTestHost.Callback], PostLogoutRedirectUris = ["http://127.0.0.1:9/bye"],
            GrantTypes = ["authorization_code"], Scopes = ["openid", "profile", "email", "phone", "offline_access"],
            BackchannelLogoutUri = rp is null ? null : new Uri(rp.BaseAddress, $"logout/{clientId}").ToString(), BackchannelLogoutSessionRequired = true,
        })).Secret);

    /// <summary>Signs in through the browser (password page the first time) and returns the ID token the app got.</summary>
    private static async Task<string> SignInAsync(OidcTestHost host, HttpClient browser, string clientId, string? secret)
    {
        var (code, verifier) = await host.CodeAsync(clientId, browser);
        var (status, body, _) = await host.TokenAsync(host.CodeForm(code, verifier), clientId, secret);
        Assert.Equal(200, status);
        return body.GetProperty("id_token").GetString()!;
    }

    private static string Sid(string idToken) => new JsonWebToken(idToken).GetClaim("sid").Value;

    private static async Task<List<WebhookReceiver.Received>> ReceivedAsync(WebhookReceiver rp, int count)
    {
        await Eventually.ValueAsync(() => Task.FromResult(rp.Requests.Count), n => n >= count, TimeSpan.FromSeconds(60));
        return [.. rp.Requests];
    }

    private static Task<int> DeliveriesAsync(OidcTestHost host, string clientId) =>
        host.Server.InScopeAsync(sp => sp.GetRequiredService<IdpDbContext>().Set<WebhookDelivery>().CountAsync(d => d.ClientId == clientId));

    /// <summary>What an RP checks (Back-Channel Logout 1.0 2.6); returns the validated token.</summary>
    private static async Task<JsonWebToken> AssertLogoutTokenAsync(OidcTestHost host, WebhookReceiver.Received request, string clientId, string sid)
    {
        Assert.StartsWith("application/x-www-form-urlencoded", request.Headers["Content-Type"]);
        var form = QueryHelpers.ParseQuery(request.Body);
        var token = Assert.Single(form["logout_token"].ToArray())!;
        var jwks = new JsonWebKeySet(await host.Browser().GetStringAsync("/.well-known/jwks.json"));
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = host.Issuer, ValidAudience = clientId, IssuerSigningKeys = jwks.GetSigningKeys(), ValidTypes = ["logout+jwt"],
            RequireExpirationTime = true, RequireSignedTokens = true,
        });
        Assert.True(result.IsValid, result.Exception?.ToString());
        var jwt = (JsonWebToken)result.SecurityToken;
        Assert.Equal(host.UserId, jwt.Subject);
        Assert.Equal(sid, jwt.GetClaim("sid").Value);
        Assert.False(string.IsNullOrEmpty(jwt.Id));
        Assert.InRange((jwt.ValidTo - jwt.IssuedAt).TotalSeconds, 1, 120);
        Assert.False(jwt.TryGetPayloadValue<object>("nonce", out _));
        var events = JsonDocument.Parse(jwt.EncodedPayload.Length > 0 ? Base64UrlEncoder.Decode(jwt.EncodedPayload) : "{}").RootElement.GetProperty("events");
        var only = Assert.Single(events.EnumerateObject());
        Assert.Equal(Event, only.Name);
        Assert.Equal(JsonValueKind.Object, only.Value.ValueKind);
        Assert.Empty(only.Value.EnumerateObject());
        return jwt;
    }
}
