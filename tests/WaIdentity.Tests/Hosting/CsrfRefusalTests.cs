using System.Net;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Admin;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.Tests.Oidc;

namespace WaIdentity.Tests.Hosting;

/// <summary>A form posted without its antiforgery token is forbidden (403), and nothing happens.</summary>
public sealed class CsrfRefusalTests
{
    [Fact]
    public async Task A_login_or_portal_form_without_its_antiforgery_token_is_refused_with_403()
    {
        await using var host = await OidcTestHost.StartAsync(DatabaseProvider.Sqlite);
        using var portal = await AdminPortal.SignInAsync(host.Server);
        var browser = host.Browser();
        await browser.GetStringAsync("/login/password"); // has the antiforgery cookie, not the form field

        var login = await browser.PostAsync("/login/password", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = OidcTestHost.Email, ["Password"] = OidcTestHost.Password,
        }));
        var admin = await portal.Client.PostAsync("/admin/clients/demo?handler=Disable", new FormUrlEncodedContent(new Dictionary<string, string>()));

        Assert.Equal(HttpStatusCode.Forbidden, login.StatusCode);
        Assert.DoesNotContain(login.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], c => c.StartsWith("waid.session"));
        Assert.Equal(HttpStatusCode.Forbidden, admin.StatusCode);
    }
}
