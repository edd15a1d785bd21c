using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using WaIdentity.IdP.Login.SendCode;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Channel;
using WaIdentity.Tests.Infrastructure;

namespace WaIdentity.Tests.Login;

/// <summary>
/// A correctly signed inbound WhatsApp message proves a send-code challenge only while it is fresh: sent after the
/// challenge was shown and within the last few minutes. Sent as Meta would, straight to the signed webhook.
/// </summary>
public sealed partial class SendCodeFreshnessTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_signed_message_sent_before_the_challenge_or_days_ago_does_not_prove_it(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var server = await IdpTestServer.StartAsync(db, WhatsAppOtpBrowserTests.Settings(("Login:SendCode:BusinessNumber", "+6281100000000")));
        using var browser = server.CreateClient(new CookieContainer());
        var code = CodeShown().Match(await browser.GetStringAsync("/login/send-code")).Groups[1].Value;
        var phone = ChannelTestKit.NewPhone();
        var now = DateTimeOffset.UtcNow;

        // Three days old (a replayed delivery), and two minutes before the page showed the code.
        await SendSignedAsync(server, phone, code, now.AddDays(-3));
        await SendSignedAsync(server, phone, code, now.AddMinutes(-2));
        await ProcessedAsync(server);
        Assert.Equal("waiting", await StatusAsync(browser));

        await SendSignedAsync(server, phone, code, DateTimeOffset.UtcNow);
        await ProcessedAsync(server);
        Assert.Equal("proven", await StatusAsync(browser));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_signed_message_days_old_does_not_validate_a_gateway_phone_verification(DatabaseProvider provider)
    {
        await using var host = await Gateway.GatewayTestHost.StartAsync(provider);
        await host.ConfigureAsync("app", null);
        using var app = host.Api(await host.TokenAsync());
        var created = await Gateway.GatewayTestHost.ReadAsync(await app.GetAsync("/api/v1/verification_code"));
        var (code, id) = (created.Body.GetProperty("code").GetString()!, created.Body.GetProperty("id").GetString()!);
        var phone = ChannelTestKit.NewPhone();

        await SendSignedAsync(host.Oidc.Server, phone, code, DateTimeOffset.UtcNow.AddDays(-3), "Verify my number: ");
        await SendSignedAsync(host.Oidc.Server, phone, code, DateTimeOffset.UtcNow.AddMinutes(-2), "Verify my number: ");
        await ProcessedAsync(host.Oidc.Server);
        Assert.Equal("pending", (await Gateway.GatewayTestHost.ReadAsync(await app.GetAsync($"/api/v1/verification_code/{id}"))).Body.GetProperty("status").GetString());

        await SendSignedAsync(host.Oidc.Server, phone, code, DateTimeOffset.UtcNow, "Verify my number: ");
        await ProcessedAsync(host.Oidc.Server);
        Assert.Equal("validated", (await Gateway.GatewayTestHost.ReadAsync(await app.GetAsync($"/api/v1/verification_code/{id}"))).Body.GetProperty("status").GetString());
    }

    private static Task SendSignedAsync(IdpTestServer server, string phone, string code, DateTimeOffset sentAt, string text = "Log in to WaIdentity with this code: ") =>
        ChannelTestKit.PostInboundAsync(server, phone, sentAt, $$"""
            "type":"text","text":{"body":"{{text}}{{code}}"}
            """, name: "Budi");

    private static Task ProcessedAsync(IdpTestServer server) => ChannelTestKit.InboundProcessedAsync(server);

    private static async Task<string> StatusAsync(HttpClient browser) =>
        (await browser.GetFromJsonAsync<SendCodeState>("/login/send-code?handler=Status"))!.State;

    [GeneratedRegex("<code id=\"send-code\">(WAID-[A-Z0-9]{8})</code>")]
    private static partial Regex CodeShown();
}
