using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WaIdentity.IdP.Gateway;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Channel;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.WaChannel.Inbound;
using WaIdentity.WaChannel.Persistence;

namespace WaIdentity.Tests.Gateway;

/// <summary>WhatsAuth-style verification: code requested, the user sends it from WhatsApp, the app gets a signed callback.</summary>
public sealed class VerificationTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_round_trip_ends_in_a_signed_callback_and_a_validated_poll(DatabaseProvider provider)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var host = await GatewayTestHost.StartAsync(provider);
        var secret = await host.ConfigureAsync("app", [receiver.Origin]);
        Assert.StartsWith("whsec_", secret);
        using var app = host.Api(await host.TokenAsync());

        var callbackUrl = receiver.Origin + "/hooks/verified";
        var created = await GatewayTestHost.ReadAsync(await app.GetAsync("/api/v1/verification_code?callback_url=" + Uri.EscapeDataString(callbackUrl)));
        Assert.Equal(200, created.Status);
        var code = created.Body.GetProperty("code").GetString()!;
        var id = created.Body.GetProperty("id").GetString()!;
        Assert.Matches("^WAV-[A-Z2-9]{8}$", code);
        var link = new Uri(created.Body.GetProperty("link").GetString()!);
        Assert.Equal("wa.me", link.Host);
        Assert.Equal("/6281100000000", link.AbsolutePath);
        var prefilled = Uri.UnescapeDataString(link.Query["?text=".Length..]);
        Assert.Contains(code, prefilled);
        Assert.StartsWith("whatsapp://send?phone=6281100000000&text=", created.Body.GetProperty("deep_link").GetString());
        Assert.True(created.Body.GetProperty("expires_at").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(5));

        // The user sends the prefilled message from their phone.
        var phone = ChannelTestKit.NewPhone();
        await host.SendInboundAsync(phone, prefilled, "Ana <Lestari>");

        var callback = await Eventually.ValueAsync(() => Task.FromResult(receiver.Requests.ToList()), r => r.Count > 0, ChannelTestKit.Patience);
        var received = Assert.Single(callback);
        Assert.Equal("/hooks/verified", received.Path);
        Assert.True(CallbackSigner.Verify(secret!, received.Headers[CallbackSigner.TimestampHeader], received.Headers[CallbackSigner.SignatureHeader], received.Body, DateTimeOffset.UtcNow));
        Assert.False(CallbackSigner.Verify(secret!, received.Headers[CallbackSigner.TimestampHeader], received.Headers[CallbackSigner.SignatureHeader], received.Body.Replace("validated", "expired"), DateTimeOffset.UtcNow));
        Assert.False(CallbackSigner.Verify(secret!, received.Headers[CallbackSigner.TimestampHeader], received.Headers[CallbackSigner.SignatureHeader], received.Body, DateTimeOffset.UtcNow.AddMinutes(6)));
        var body = JsonDocument.Parse(received.Body).RootElement;
        Assert.Equal(id, body.GetProperty("id").GetString());
        Assert.Equal("validated", body.GetProperty("status").GetString());
        Assert.Equal(code, body.GetProperty("verification_code").GetString());
        Assert.Equal(phone, body.GetProperty("phone_number").GetString());
        Assert.Equal("Ana <Lestari>", body.GetProperty("profile_name").GetString());
        foreach (var field in new[] { "requested_at", "validated_at", "expires_at" }) Assert.Equal(JsonValueKind.String, body.GetProperty(field).ValueKind);

        var polled = await GatewayTestHost.ReadAsync(await app.GetAsync($"/api/v1/verification_code/{id}"));
        Assert.Equal("validated", polled.Body.GetProperty("status").GetString());
        Assert.Equal(phone, polled.Body.GetProperty("phone_number").GetString());

        // Single use: the same code sent again (or by someone else) changes nothing and sends no second callback.
        await host.SendInboundAsync(ChannelTestKit.NewPhone(), prefilled);
        await ChannelTestKit.QuietAsync(host.Oidc.Server);
        Assert.Single(receiver.Requests);
        // A verification code is claimed, never forwarded as an ordinary inbound message.
        Assert.Empty(await host.Oidc.Server.InScopeAsync(sp => new WebhookReplay(sp.GetRequiredService<IdpDbContext>(), TimeProvider.System).ListAsync(null, 10)
            .ContinueWith(t => t.Result.Where(d => d.Kind == "inbound").ToList())));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_failing_callback_is_retried_with_backoff_until_the_app_answers(DatabaseProvider provider)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.FailFirst = 2; // the app is down for the first two tries
        await using var host = await GatewayTestHost.StartAsync(provider, ("Gateway:Webhooks:RetryBaseSeconds", "1"));
        var secret = await host.ConfigureAsync("app", [receiver.Origin]);
        using var app = host.Api(await host.TokenAsync());
        var created = await GatewayTestHost.ReadAsync(await app.GetAsync("/api/v1/verification_code?callback_url=" + Uri.EscapeDataString(receiver.Origin + "/hooks/verified")));
        var id = created.Body.GetProperty("id").GetString()!;
        var phone = ChannelTestKit.NewPhone();
        await host.SendInboundAsync(phone, PrefilledText(created.Body));

        var tries = await Eventually.ValueAsync(() => Task.FromResult(receiver.Requests.ToList()), r => r.Count >= 3, ChannelTestKit.Patience);
        await ChannelTestKit.QuietAsync(host.Oidc.Server);
        Assert.Equal(3, receiver.Requests.Count); // answered 200 on the third: no further tries
        // Backoff RetryBaseSeconds x 2^(tries-1): at least 1 s before the second try, 2 s before the third.
        Assert.True(tries[1].At - tries[0].At >= TimeSpan.FromMilliseconds(950), $"{tries[1].At - tries[0].At}");
        Assert.True(tries[2].At - tries[1].At >= TimeSpan.FromMilliseconds(1950), $"{tries[2].At - tries[1].At}");
        var deliveryId = Assert.Single(tries.Select(t => t.Headers[CallbackSigner.DeliveryHeader]).Distinct());
        foreach (var t in tries)
        {
            Assert.True(CallbackSigner.Verify(secret!, t.Headers[CallbackSigner.TimestampHeader], t.Headers[CallbackSigner.SignatureHeader], t.Body, DateTimeOffset.UtcNow));
            var body = JsonDocument.Parse(t.Body).RootElement;
            Assert.Equal(id, body.GetProperty("id").GetString());
            Assert.Equal("validated", body.GetProperty("status").GetString());
            Assert.Equal(phone, body.GetProperty("phone_number").GetString());
        }

        var record = (await Eventually.ValueAsync(() => host.Oidc.Server.InScopeAsync(sp => sp.GetRequiredService<WebhookReplay>().ListAsync(WebhookState.Delivered, 10)),
            l => l.Any(d => d.Id == deliveryId), ChannelTestKit.Patience)).Single(d => d.Id == deliveryId);
        Assert.Equal(3, record.Attempts);
        Assert.Equal("verification", record.Kind);
        Assert.Null(record.LastError);
        Assert.NotNull(record.DeliveredAt);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_verification_past_its_expiry_polls_as_expired_and_its_code_no_longer_verifies(DatabaseProvider provider)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var host = await GatewayTestHost.StartAsync(provider);
        await host.ConfigureAsync("app", [receiver.Origin]);
        using var app = host.Api(await host.TokenAsync());
        var created = await GatewayTestHost.ReadAsync(await app.GetAsync("/api/v1/verification_code?callback_url=" + Uri.EscapeDataString(receiver.Origin + "/hooks/verified")));
        var id = created.Body.GetProperty("id").GetString()!;

        // As if it had been requested 11 minutes ago with a 10-minute lifetime (the shortest lifetime is 60 s: no waiting).
        var (requested, expires) = (DateTimeOffset.UtcNow.AddMinutes(-11), DateTimeOffset.UtcNow.AddMinutes(-1));
        Assert.Equal(1, await host.Oidc.Server.InScopeAsync(sp => sp.GetRequiredService<IdpDbContext>().Set<PhoneVerification>().Where(v => v.Id == id)
            .ExecuteUpdateAsync(u => u.SetProperty(v => v.CreatedAt, requested).SetProperty(v => v.ExpiresAt, expires))));

        var polled = await GatewayTestHost.ReadAsync(await app.GetAsync($"/api/v1/verification_code/{id}"));
        Assert.Equal(200, polled.Status);
        Assert.Equal("expired", polled.Body.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, polled.Body.GetProperty("phone_number").ValueKind);

        // The user sends the code too late: nothing is validated, no callback goes out.
        var late = ChannelTestKit.NewPhone();
        await host.SendInboundAsync(late, PrefilledText(created.Body));
        await Eventually.ValueAsync(() => host.Oidc.Server.InScopeAsync(sp => sp.GetRequiredService<ChannelDbContext>().Set<InboundMessageRecord>().AnyAsync(r => r.Phone == late)),
            seen => seen, ChannelTestKit.Patience); // the message has reached the subscribers
        await ChannelTestKit.QuietAsync(host.Oidc.Server);
        Assert.Empty(receiver.Requests);
        var again = await GatewayTestHost.ReadAsync(await app.GetAsync($"/api/v1/verification_code/{id}"));
        Assert.Equal("expired", again.Body.GetProperty("status").GetString());
    }

    private static string PrefilledText(JsonElement created)
    {
        var link = new Uri(created.GetProperty("link").GetString()!);
        return Uri.UnescapeDataString(link.Query["?text=".Length..]);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Polling_shows_pending_and_only_to_the_client_that_asked(DatabaseProvider provider)
    {
        await using var host = await GatewayTestHost.StartAsync(provider);
        var otherSecret = await host.CreateApiClientAsync("other", ["wa.verify"]);
        using var app = host.Api(await host.TokenAsync());
        var created = await GatewayTestHost.ReadAsync(await app.GetAsync("/api/v1/verification_code"));
        var id = created.Body.GetProperty("id").GetString()!;
        var polled = await GatewayTestHost.ReadAsync(await app.GetAsync($"/api/v1/verification_code/{id}"));
        Assert.Equal("pending", polled.Body.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, polled.Body.GetProperty("phone_number").ValueKind);

        using var other = host.Api(await host.TokenAsync("other", otherSecret));
        var foreign = await GatewayTestHost.ReadAsync(await other.GetAsync($"/api/v1/verification_code/{id}"));
        GatewayTestHost.AssertProblem(foreign.Response, foreign.Body, 404, "not-found");
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_callback_url_outside_the_registered_origins_is_refused(DatabaseProvider provider)
    {
        await using var host = await GatewayTestHost.StartAsync(provider);
        await host.ConfigureAsync("app", ["https://app.example"]);
        using var app = host.Api(await host.TokenAsync());
        foreach (var url in new[] { "https://evil.example/cb", "https://app.example.evil.example/cb", "http://app.example/cb", "not a url", "https://user@app.example/cb" })
        {
            var r = await GatewayTestHost.ReadAsync(await app.GetAsync("/api/v1/verification_code?callback_url=" + Uri.EscapeDataString(url)));
            GatewayTestHost.AssertProblem(r.Response, r.Body, 400, "invalid-request");
            Assert.True(r.Body.GetProperty("errors").TryGetProperty("callback_url", out _), url);
        }
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Without_a_business_number_verification_is_unavailable(DatabaseProvider provider)
    {
        await using var host = await GatewayTestHost.StartAsync(provider, ("Gateway:BusinessNumber", ""), ("Login:SendCode:BusinessNumber", ""));
        using var app = host.Api(await host.TokenAsync());
        var r = await GatewayTestHost.ReadAsync(await app.GetAsync("/api/v1/verification_code"));
        GatewayTestHost.AssertProblem(r.Response, r.Body, 503, "verification-unavailable");
    }
}
