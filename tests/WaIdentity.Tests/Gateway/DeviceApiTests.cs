using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using WaIdentity.IdP.Gateway;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Device;
using WaIdentity.Tests.Infrastructure;

namespace WaIdentity.Tests.Gateway;

/// <summary>
/// The device API (scope wa.device) as an app written for WAHA/Wawp uses it, over HTTP against the emulator: every
/// state (STOPPED, STARTING, SCAN_QR_CODE, WORKING, FAILED), the QR as PNG and raw, a pairing code that links the
/// phone, the actions and what each state refuses, a screenshot, "refreshing" while a code is being generated and
/// the 2 s poll spacing. Polls move the app's clock 2 s on instead of sleeping.
/// </summary>
public sealed class DeviceApiTests
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private static Task<GatewayTestHost> StartAsync(DatabaseProvider provider) =>
        GatewayTestHost.StartAsync(provider, [.. DeviceTestKit.Settings(
            // Long enough to be seen: STARTING for 10 s of the app's clock (each poll moves it 2 s), a first QR of 60 s
            // (the real one's lifetime).
            ("Channel:Device:Emulator:StartDelayMilliseconds", "10000"), ("Channel:Device:Emulator:FirstQrMilliseconds", "60000"),
            ("Channel:Device:Emulator:NextQrMilliseconds", "20000"),
            // The watchdog leaves the driving to the app (its first round may still start the device).
            ("Channel:Device:WatchdogIntervalSeconds", "3600")).Select(kv => (kv.Key, kv.Value))]);

    /// <summary>One poll, 2 s (the allowed spacing) after the previous one on the app's clock.</summary>
    private static async Task<(int Status, JsonElement Body, HttpResponseMessage Response)> PollAsync(GatewayTestHost host, HttpClient app, string path)
    {
        host.Oidc.Server.Clock.Advance(TimeSpan.FromSeconds(2));
        return await GatewayTestHost.ReadAsync(await app.GetAsync(path));
    }

    private static Task<(int Status, JsonElement Body, HttpResponseMessage Response)> StatusWhenAsync(GatewayTestHost host, HttpClient app, string status) =>
        Eventually.ValueAsync(() => PollAsync(host, app, "/api/v1/device"), r => r.Status == 200 && r.Body.GetProperty("status").GetString() == status, DeviceTestKit.Patience);

    private static async Task<(int Status, JsonElement Body, HttpResponseMessage Response)> PostAsync(HttpClient app, string path, object? body = null) =>
        await GatewayTestHost.ReadAsync(body is null ? await app.PostAsync(path, null) : await app.PostAsJsonAsync(path, body));

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_app_drives_the_device_through_every_state_links_it_with_a_pairing_code_and_sees_what_each_state_refuses(DatabaseProvider provider)
    {
        await using var host = await StartAsync(provider);
        using var app = host.Api(await host.TokenAsync(scope: GatewayScopes.Device));

        // STOPPED: no code on offer, only start allowed.
        await PostAsync(app, "/api/v1/device/stop");
        await StatusWhenAsync(host, app, "STOPPED");
        var qrStopped = await PollAsync(host, app, "/api/v1/device/qr");
        GatewayTestHost.AssertProblem(qrStopped.Response, qrStopped.Body, 409, "device-not-scanning");
        var logoutStopped = await PostAsync(app, "/api/v1/device/logout");
        GatewayTestHost.AssertProblem(logoutStopped.Response, logoutStopped.Body, 409, "device-action-not-allowed");
        Assert.Equal(["start"], logoutStopped.Body.GetProperty("allowed").EnumerateArray().Select(a => a.GetString()));

        // STARTING: the code is being generated: 422 "refreshing, retry in N s" with Retry-After.
        var start = await PostAsync(app, "/api/v1/device/start");
        Assert.Equal(200, start.Status);
        Assert.Equal("STOPPED", start.Body.GetProperty("status_before").GetString());
        var refreshing = await PollAsync(host, app, "/api/v1/device/qr");
        GatewayTestHost.AssertProblem(refreshing.Response, refreshing.Body, 422, "device-refreshing");
        Assert.Matches("refreshing, retry in [0-9]+ s", refreshing.Body.GetProperty("detail").GetString());
        Assert.NotNull(refreshing.Response.Headers.RetryAfter?.Delta);
        Assert.Equal("STARTING", (await PollAsync(host, app, "/api/v1/device")).Body.GetProperty("status").GetString());

        // SCAN_QR_CODE: the QR as a PNG and raw, with the first code's real lifetime; a screenshot; a pairing code.
        await StatusWhenAsync(host, app, "SCAN_QR_CODE");
        host.Oidc.Server.Clock.Advance(TimeSpan.FromSeconds(2));
        using var png = await app.GetAsync("/api/v1/device/qr");
        Assert.Equal("image/png", png.Content.Headers.ContentType?.MediaType);
        Assert.Equal(PngSignature, (await png.Content.ReadAsByteArrayAsync())[..8]);
        var raw = await PollAsync(host, app, "/api/v1/device/qr?format=raw");
        Assert.Equal(200, raw.Status);
        Assert.StartsWith("2@", raw.Body.GetProperty("value").GetString());
        Assert.Equal(60, raw.Body.GetProperty("lifetime_seconds").GetInt32());
        Assert.True(raw.Body.GetProperty("expires_at").GetDateTimeOffset() > host.Oidc.Server.Clock.GetUtcNow());
        host.Oidc.Server.Clock.Advance(TimeSpan.FromSeconds(2));
        using var screenshot = await app.GetAsync("/api/v1/device/screenshot");
        Assert.Equal("image/png", screenshot.Content.Headers.ContentType?.MediaType);
        Assert.Equal(PngSignature, (await screenshot.Content.ReadAsByteArrayAsync())[..8]);
        var badPhone = await PostAsync(app, "/api/v1/device/pairing-code", new { phone_number = "0812" });
        GatewayTestHost.AssertProblem(badPhone.Response, badPhone.Body, 400, "invalid-request");
        var pairing = await PostAsync(app, "/api/v1/device/pairing-code", new { phone_number = GatewayTestHost.BusinessNumber });
        Assert.Equal(200, pairing.Status);
        var code = pairing.Body.GetProperty("code").GetString()!;
        Assert.Matches("^[A-Z0-9]{4}-[A-Z0-9]{4}$", code);
        Assert.Equal(8, code.Replace("-", "").Length);

        // The phone types the code: WORKING, linked to the business number; no QR, no second start.
        using (var phone = host.Oidc.Server.CreateClient())
            Assert.True((await phone.PostAsJsonAsync("/dev/inbox/api/device/pair", new { code })).IsSuccessStatusCode);
        var working = await StatusWhenAsync(host, app, "WORKING");
        Assert.Equal(GatewayTestHost.BusinessNumber, working.Body.GetProperty("me").GetProperty("phone").GetString());
        var qrWorking = await PollAsync(host, app, "/api/v1/device/qr");
        GatewayTestHost.AssertProblem(qrWorking.Response, qrWorking.Body, 409, "device-not-scanning");
        var startWorking = await PostAsync(app, "/api/v1/device/start");
        GatewayTestHost.AssertProblem(startWorking.Response, startWorking.Body, 409, "device-action-not-allowed");

        // FAILED (the connection dropped): restart brings it back without a scan.
        using (var phone = host.Oidc.Server.CreateClient())
            Assert.True((await phone.PostAsync("/dev/inbox/api/device/disconnect", null)).IsSuccessStatusCode);
        await StatusWhenAsync(host, app, "FAILED");
        var restart = await PostAsync(app, "/api/v1/device/restart");
        Assert.Equal(200, restart.Status);
        Assert.Equal("FAILED", restart.Body.GetProperty("status_before").GetString());
        await StatusWhenAsync(host, app, "WORKING");

        // Logout unlinks: a new QR is on offer; stop leaves it STOPPED.
        Assert.Equal(200, (await PostAsync(app, "/api/v1/device/logout")).Status);
        var unlinked = await StatusWhenAsync(host, app, "SCAN_QR_CODE");
        Assert.Equal(JsonValueKind.Null, unlinked.Body.GetProperty("me").ValueKind);
        Assert.Equal(200, (await PostAsync(app, "/api/v1/device/stop")).Status);
        await StatusWhenAsync(host, app, "STOPPED");
    }

    [Fact]
    public async Task Polling_faster_than_every_two_seconds_is_429_with_Retry_After_and_the_scope_is_required()
    {
        await using var host = await StartAsync(DatabaseProvider.Sqlite);
        using var app = host.Api(await host.TokenAsync(scope: GatewayScopes.Device));

        var first = await PollAsync(host, app, "/api/v1/device");
        using var second = await app.GetAsync("/api/v1/device");
        host.Oidc.Server.Clock.Advance(TimeSpan.FromSeconds(2));
        using var third = await app.GetAsync("/api/v1/device");
        using var withoutScope = host.Api(await host.TokenAsync(scope: GatewayScopes.Send));
        var refused = await GatewayTestHost.ReadAsync(await withoutScope.GetAsync("/api/v1/device"));

        Assert.Equal(200, first.Status);
        Assert.Equal(429, (int)second.StatusCode);
        Assert.InRange(second.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 2);
        Assert.Equal(200, (int)third.StatusCode);
        GatewayTestHost.AssertProblem(refused.Response, refused.Body, 403, "insufficient-scope");
        Assert.Contains("scope=\"wa.device\"", refused.Response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task The_device_api_is_in_apidocs_with_its_scope()
    {
        await using var host = await GatewayTestHost.StartAsync(DatabaseProvider.Sqlite);
        using var http = host.Oidc.Server.CreateClient();

        var doc = JsonDocument.Parse(await http.GetStringAsync("/apidocs/v1/openapi.json")).RootElement;

        var paths = doc.GetProperty("paths");
        foreach (var path in new[] { "/api/v1/device", "/api/v1/device/qr", "/api/v1/device/pairing-code", "/api/v1/device/start",
                     "/api/v1/device/stop", "/api/v1/device/restart", "/api/v1/device/logout", "/api/v1/device/screenshot" })
            Assert.True(paths.TryGetProperty(path, out _), path);
        var qr = paths.GetProperty("/api/v1/device/qr").GetProperty("get");
        Assert.Contains("wa.device", qr.GetProperty("summary").GetString());
        var oauth = qr.GetProperty("security").EnumerateArray().Select(r => r.TryGetProperty("oauth2", out var s) ? s : default)
            .Single(s => s.ValueKind == JsonValueKind.Array);
        Assert.Equal(["wa.device"], oauth.EnumerateArray().Select(s => s.GetString()));
        Assert.True(doc.GetProperty("components").GetProperty("securitySchemes").GetProperty("oauth2").GetProperty("flows")
            .GetProperty("clientCredentials").GetProperty("scopes").TryGetProperty("wa.device", out _));
        Assert.Matches(new Regex("retry in N s"), qr.GetProperty("description").GetString()!);
    }
}
