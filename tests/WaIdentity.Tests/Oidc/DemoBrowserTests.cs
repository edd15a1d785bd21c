using WaIdentity.Tests.Infrastructure;
using Microsoft.Playwright;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Login;
using WaIdentity.Tests.Mfa;

namespace WaIdentity.Tests.Oidc;

/// <summary>"Try a login" in Chromium, on a server that does not listen on the README's http://localhost:5000.</summary>
public sealed class DemoBrowserTests(LoginBrowser browser) : BrowserTests(browser)
{
    [Fact]
    public async Task Try_a_login_works_on_whatever_address_and_port_the_server_listens_on()
    {
        await using var host = await OidcTestHost.StartAsync(DatabaseProvider.Sqlite);
        Assert.NotEqual(5000, host.Server.BaseAddress.Port);
        var page = await browser.NewPageAsync();

        await page.GotoAsync(host.Issuer + "/");
        await page.ClickAsync("a[href='/demo?handler=Start']");
        await MfaKit.PasswordAsync(page);
        await page.ArrivedAsync(host.Issuer + "/demo/callback");

        Assert.Contains($"\"sub\": \"{host.UserId}\"", await page.InnerTextAsync("#id-token"));
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("\"client_id\": \"demo\"");
    }
}
