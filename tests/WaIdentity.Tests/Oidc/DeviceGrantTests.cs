using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.JsonWebTokens;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Channel;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.WaChannel.Persistence;
using WaIdentity.WaChannel.Sandbox;
using WaIdentity.WaChannel.Webhooks;

namespace WaIdentity.Tests.Oidc;

/// <summary>
/// The device authorization grant (RFC 8628) driven as a command-line client drives it: codes from /connect/device,
/// a poll loop on the token endpoint, the user's answer on /device or by a WhatsApp reply (the sandbox's inbound path).
/// </summary>
public sealed class DeviceGrantTests
{
    private static Dictionary<string, string?> Settings(params (string Key, string? Value)[] extra)
    {
        var settings = ChannelTestKit.Settings(("Oidc:DeviceCodeLifetimeSeconds", "3600"));
        foreach (var (k, v) in extra) settings[k] = v;
        return settings;
    }

    private static async Task SendFromPhoneAsync(OidcTestHost host, string from, string text)
    {
        using var client = host.Server.CreateClient();
        var response = await client.PostAsJsonAsync("/dev/inbox/api/inbound", new { from, text, profileName = "Ana" });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_WhatsApp_YES_from_the_hinted_phone_approves_the_device_and_its_tokens_are_redeemed_once(DatabaseProvider provider)
    {
        await using var host = await OidcTestHost.StartAsync(provider, Settings());
        await DeviceClient.RegisterAsync(host);
        var tv = new DeviceClient(host);
        // WhatsApp delivers a free text only inside the 24-hour window the user opens by writing to the business number.
        await SendFromPhoneAsync(host, OidcTestHost.Phone, "Hi");

        var (status, started) = await tv.StartAsync(loginHint: OidcTestHost.Phone);
        Assert.Equal(200, status);
        Assert.Matches("^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$", tv.UserCode);
        Assert.Equal($"{host.Issuer}/device", started.GetProperty("verification_uri").GetString());
        Assert.Equal($"{host.Issuer}/device?user_code={tv.UserCode}", tv.VerificationUriComplete);
        Assert.Equal(3600, started.GetProperty("expires_in").GetInt32());
        Assert.Equal(5, started.GetProperty("interval").GetInt32());
        Assert.Equal("authorization_pending", DeviceClient.Error((await tv.PollAsync()).Body));

        // The place is the device's address as the account page names it: loopback here, so "this computer".
        var question = $"Approve sign-in to {DeviceClient.DisplayName} from this computer? Reply YES {tv.UserCode} to approve, or NO {tv.UserCode} to refuse.";
        await ChannelTestKit.InboxWhenAsync(host.Server, OidcTestHost.Phone, m => m.Any(x => x.Text.StartsWith(question)));

        // Another phone answering with the right code approves nothing.
        await SendFromPhoneAsync(host, ChannelTestKit.NewPhone(), $"YES {tv.UserCode}");
        await SendFromPhoneAsync(host, OidcTestHost.Phone, "yes " + tv.UserCode.Replace("-", "").ToLowerInvariant());

        var (tokenStatus, tokens) = await tv.PollUntilAnsweredAsync(ChannelTestKit.Patience);
        Assert.Equal(200, tokenStatus);
        var idToken = new JsonWebToken(tokens.GetProperty("id_token").GetString());
        Assert.Equal(host.UserId, idToken.Subject);
        Assert.Equal(DeviceClient.ClientId, idToken.Audiences.Single());
        Assert.Equal(["wa"], idToken.GetPayloadValue<string[]>("amr"));
        Assert.True(tokens.TryGetProperty("refresh_token", out _));
        Assert.Equal("openid profile offline_access", tokens.GetProperty("scope").GetString());
        await ChannelTestKit.InboxWhenAsync(host.Server, OidcTestHost.Phone, m => m.Any(x => x.Text == $"Approved: sign-in on {DeviceClient.DisplayName}."));

        var (againStatus, again) = await tv.PollAfterIntervalAsync();
        Assert.Equal(400, againStatus);
        Assert.Equal("invalid_grant", DeviceClient.Error(again));
    }

    [Fact]
    public async Task A_reply_from_another_phone_neither_approves_nor_denies()
    {
        await using var host = await OidcTestHost.StartAsync(DatabaseProvider.Sqlite, Settings());
        await DeviceClient.RegisterAsync(host);
        var tv = new DeviceClient(host);
        await SendFromPhoneAsync(host, OidcTestHost.Phone, "Hi");
        await tv.StartAsync(loginHint: OidcTestHost.Phone);
        await ChannelTestKit.InboxWhenAsync(host.Server, OidcTestHost.Phone, m => m.Any(x => x.Text.Contains(tv.UserCode)));
        // Someone with an account of their own who saw the code (over a shoulder, on the TV) answers first.
        var stranger = ChannelTestKit.NewPhone();
        await host.CreateUserAsync("budi@example.com", "another horse battery", "Budi", stranger);

        await SendFromPhoneAsync(host, stranger, $"NO {tv.UserCode}");
        await SendFromPhoneAsync(host, stranger, $"YES {tv.UserCode}");
        await SendFromPhoneAsync(host, OidcTestHost.Phone, $"YA {tv.UserCode}");

        var (status, body) = await tv.PollUntilAnsweredAsync(ChannelTestKit.Patience);
        Assert.Equal(200, status);
        Assert.Equal(host.UserId, new JsonWebToken(body.GetProperty("id_token").GetString()).Subject);
    }

    [Fact]
    public async Task A_YES_sent_before_the_question_or_delivered_late_does_not_approve()
    {
        await using var host = await OidcTestHost.StartAsync(DatabaseProvider.Sqlite, Settings());
        await DeviceClient.RegisterAsync(host);
        var tv = new DeviceClient(host);
        await SendFromPhoneAsync(host, OidcTestHost.Phone, "Hi");
        await tv.StartAsync(loginHint: OidcTestHost.Phone);
        await ChannelTestKit.InboxWhenAsync(host.Server, OidcTestHost.Phone, m => m.Any(x => x.Text.Contains(tv.UserCode)));

        // Signed as Meta signs them, with the provider's own send time. Sent before the question was asked:
        await SendSignedAsync(host, OidcTestHost.Phone, $"YES {tv.UserCode}", host.Server.Clock.GetUtcNow().AddMinutes(-2));
        await ProcessedAsync(host);
        Assert.Equal("authorization_pending", DeviceClient.Error((await tv.PollAfterIntervalAsync()).Body));
        // Sent after the question, but arriving more than five minutes later (a delayed or replayed delivery):
        var sentThen = host.Server.Clock.GetUtcNow();
        host.Server.Clock.Advance(TimeSpan.FromMinutes(6));
        await SendSignedAsync(host, OidcTestHost.Phone, $"YES {tv.UserCode}", sentThen);
        await ProcessedAsync(host);
        Assert.Equal("authorization_pending", DeviceClient.Error((await tv.PollAfterIntervalAsync()).Body));

        await SendSignedAsync(host, OidcTestHost.Phone, $"YES {tv.UserCode}", host.Server.Clock.GetUtcNow());
        var (status, _) = await tv.PollUntilAnsweredAsync(ChannelTestKit.Patience);
        Assert.Equal(200, status);
    }

    private static Task SendSignedAsync(OidcTestHost host, string phone, string text, DateTimeOffset sentAt) =>
        ChannelTestKit.PostInboundAsync(host.Server, phone, sentAt, $$"""
            "type":"text","text":{"body":"{{text}}"}
            """);

    /// <summary>Waits until every inbound webhook so far has been handled (each subscriber ran for each message).</summary>
    private static Task ProcessedAsync(OidcTestHost host) => ChannelTestKit.InboundProcessedAsync(host.Server);

    [Fact]
    public async Task A_NO_from_the_hinted_phone_denies_the_device()
    {
        await using var host = await OidcTestHost.StartAsync(DatabaseProvider.Sqlite, Settings());
        await DeviceClient.RegisterAsync(host);
        var tv = new DeviceClient(host);
        await SendFromPhoneAsync(host, OidcTestHost.Phone, "Hi");
        await tv.StartAsync(loginHint: OidcTestHost.Phone, uiLocales: "id");
        var question = $"Setujui masuk ke {DeviceClient.DisplayName} dari komputer ini? Balas YA {tv.UserCode} untuk menyetujui";
        await ChannelTestKit.InboxWhenAsync(host.Server, OidcTestHost.Phone, m => m.Any(x => x.Text.StartsWith(question)));

        await SendFromPhoneAsync(host, OidcTestHost.Phone, $"tidak {tv.UserCode}");

        var (status, body) = await tv.PollUntilAnsweredAsync(ChannelTestKit.Patience);
        Assert.Equal(400, status);
        Assert.Equal("access_denied", DeviceClient.Error(body));
        await ChannelTestKit.InboxWhenAsync(host.Server, OidcTestHost.Phone, m => m.Any(x => x.Text == $"Ditolak: {DeviceClient.DisplayName} tidak dimasukkan."));
    }

    [Fact]
    public async Task Denial_on_the_page_polling_too_fast_and_expiry_get_their_RFC_8628_errors()
    {
        await using var host = await OidcTestHost.StartAsync(DatabaseProvider.Sqlite, Settings(("Oidc:DeviceCodeLifetimeSeconds", "600")));
        await DeviceClient.RegisterAsync(host);

        // slow_down: a poll sooner than the interval, and from then on 5 seconds more.
        var tv = new DeviceClient(host);
        await tv.StartAsync();
        Assert.Equal("authorization_pending", DeviceClient.Error((await tv.PollAsync()).Body));
        var (fastStatus, fast) = await tv.PollAsync();
        Assert.Equal(400, fastStatus);
        Assert.Equal("slow_down", DeviceClient.Error(fast));
        host.Server.Clock.Advance(TimeSpan.FromSeconds(tv.Interval + 5));
        Assert.Equal("authorization_pending", DeviceClient.Error((await tv.PollAsync()).Body));
        // The first interval is no longer enough, and each slow_down adds 5 seconds more.
        host.Server.Clock.Advance(TimeSpan.FromSeconds(tv.Interval));
        Assert.Equal("slow_down", DeviceClient.Error((await tv.PollAsync()).Body));
        host.Server.Clock.Advance(TimeSpan.FromSeconds(tv.Interval + 10));
        Assert.Equal("authorization_pending", DeviceClient.Error((await tv.PollAsync()).Body));

        // expired_token once the lifetime is over.
        host.Server.Clock.Advance(TimeSpan.FromSeconds(600));
        Assert.Equal("expired_token", DeviceClient.Error((await tv.PollAsync()).Body));

        // access_denied after the signed-in user denies on the page.
        var denied = new DeviceClient(host);
        await denied.StartAsync();
        using var browser = host.Browser();
        var page = await SignedInPageAsync(host, browser, denied.VerificationUriComplete);
        Assert.Contains(denied.UserCode, page);
        Assert.Contains(DeviceClient.DisplayName, page);
        var answer = await browser.PostAsync("/device?handler=Deny", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["user_code"] = denied.UserCode, [AntiforgeryToken.FieldName] = AntiforgeryToken.In(page),
        }));
        Assert.Contains("id=\"device-denied\"", await answer.Content.ReadAsStringAsync());
        var (deniedStatus, deniedBody) = await denied.PollAfterIntervalAsync();
        Assert.Equal(400, deniedStatus);
        Assert.Equal("access_denied", DeviceClient.Error(deniedBody));
    }

    [Fact]
    public async Task The_approve_form_needs_its_antiforgery_token()
    {
        await using var host = await OidcTestHost.StartAsync(DatabaseProvider.Sqlite, Settings());
        await DeviceClient.RegisterAsync(host);
        var tv = new DeviceClient(host);
        await tv.StartAsync();
        using var browser = host.Browser();
        await SignedInPageAsync(host, browser, tv.VerificationUriComplete);

        var forged = await browser.PostAsync("/device?handler=Approve", new FormUrlEncodedContent(new Dictionary<string, string> { ["user_code"] = tv.UserCode }));
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Equal("authorization_pending", DeviceClient.Error((await tv.PollAfterIntervalAsync()).Body));
    }

    [Fact]
    public async Task Wrong_user_codes_are_limited_per_address_and_then_even_the_right_code_is_refused()
    {
        await using var host = await OidcTestHost.StartAsync(DatabaseProvider.Sqlite, Settings(("Oidc:DeviceUserCodeTriesPerIpPerHour", "3")));
        await DeviceClient.RegisterAsync(host);
        var tv = new DeviceClient(host);
        await tv.StartAsync();
        using var browser = host.Browser();

        // The right code, in any case and without its dash, does not count against the limit.
        var right = await browser.GetAsync("/device?user_code=" + tv.UserCode.Replace("-", "").ToLowerInvariant());
        Assert.Contains(tv.UserCode, await right.Content.ReadAsStringAsync());
        for (var i = 0; i < 3; i++)
        {
            var wrong = await browser.GetAsync("/device?user_code=BBBB-BBB" + "CDF"[i]);
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
            Assert.Contains("This code is wrong", await wrong.Content.ReadAsStringAsync());
        }
        var limited = await browser.GetAsync(tv.VerificationUriComplete);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(int.Parse(limited.Headers.RetryAfter!.ToString()) > 0);
        Assert.DoesNotContain(DeviceClient.DisplayName, await limited.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Wrong_user_codes_from_everywhere_meet_the_global_limit()
    {
        await using var host = await OidcTestHost.StartAsync(DatabaseProvider.Sqlite, Settings(
            ("Oidc:DeviceUserCodeTriesPerIpPerHour", "100"), ("Oidc:DeviceUserCodeTriesPerHour", "2")));
        using var browser = host.Browser();
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/device?user_code=BBBB-BBBC")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/device?user_code=BBBB-BBBD")).StatusCode);
        var limited = await browser.GetAsync("/device?user_code=BBBB-BBBF");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.NotNull(limited.Headers.RetryAfter);
    }

    [Fact]
    public async Task Asking_the_phone_from_the_page_counts_against_the_channels_send_limits()
    {
        await using var host = await OidcTestHost.StartAsync(DatabaseProvider.Sqlite, Settings(("Channel:Limits:PerPhonePerHour", "1")));
        await DeviceClient.RegisterAsync(host);
        await SendFromPhoneAsync(host, OidcTestHost.Phone, "Hi");
        using var browser = host.Browser();

        async Task<HttpResponseMessage> AskAsync()
        {
            var tv = new DeviceClient(host);
            await tv.StartAsync();
            var page = await browser.GetStringAsync(tv.VerificationUriComplete);
            return await browser.PostAsync("/device?handler=Phone", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["user_code"] = tv.UserCode, ["Phone"] = OidcTestHost.Phone, [AntiforgeryToken.FieldName] = AntiforgeryToken.In(page),
            }));
        }

        var first = await AskAsync();
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Contains("id=\"device-asked\"", await first.Content.ReadAsStringAsync());
        var second = await AskAsync();
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.NotNull(second.Headers.RetryAfter);
        // The question goes out in the background: wait for it, then for the outbox to have nothing else to send.
        await ChannelTestKit.InboxWhenAsync(host.Server, OidcTestHost.Phone, m => m.Any(x => x.Text.StartsWith("Approve sign-in")));
        await ChannelTestKit.QuietAsync(host.Server);
        Assert.Single(await ChannelTestKit.InboxAsync(host.Server, OidcTestHost.Phone), m => m.Text.StartsWith("Approve sign-in"));
    }

    [Fact]
    public async Task The_endpoint_is_in_discovery_and_refuses_clients_without_the_grant_and_scopes_they_lack()
    {
        await using var host = await OidcTestHost.StartAsync(DatabaseProvider.Sqlite, Settings());
        using var http = host.Server.CreateClient();
        var discovery = await http.GetFromJsonAsync<JsonElement>("/.well-known/openid-configuration");
        Assert.Equal($"{host.Issuer}/connect/device", discovery.GetProperty("device_authorization_endpoint").GetString());
        Assert.Contains(DeviceClient.GrantType, discovery.GetProperty("grant_types_supported").EnumerateArray().Select(g => g.GetString()));

        await DeviceClient.RegisterAsync(host, grants: ["refresh_token"]);
        var (status, body) = await new DeviceClient(host).StartAsync();
        Assert.Equal(400, status);
        Assert.Equal("unauthorized_client", DeviceClient.Error(body));

        await host.CreateClientAsync("web", isPublic: true, grants: ["authorization_code", DeviceClient.GrantType], scopes: ["openid"]);
        var (scopeStatus, scopeBody) = await new DeviceClient(host, "web").StartAsync(scope: "openid email");
        Assert.Equal(400, scopeStatus);
        Assert.Equal("invalid_scope", DeviceClient.Error(scopeBody));
    }

    /// <summary>Opens the page with the code, logs in with the password page it leads to, and returns the confirm page.</summary>
    private static async Task<string> SignedInPageAsync(OidcTestHost host, HttpClient browser, string verificationUriComplete)
    {
        var path = new Uri(verificationUriComplete).PathAndQuery;
        var back = await OidcTestHost.LoginAsync(browser, "/login/password?returnUrl=" + Uri.EscapeDataString(path), OidcTestHost.Email, OidcTestHost.Password);
        Assert.Equal(path, back);
        return await browser.GetStringAsync(back);
    }
}
