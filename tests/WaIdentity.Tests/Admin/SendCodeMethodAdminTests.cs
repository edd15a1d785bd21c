using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Infrastructure;

namespace WaIdentity.Tests.Admin;

/// <summary>The login-methods page says why send-code login is switched on yet not offered, and fixes it in place.</summary>
public sealed class SendCodeMethodAdminTests
{
    private const string Page = "/admin/login-methods";

    [Fact]
    public async Task Without_a_business_number_the_page_says_send_code_is_inactive_and_saving_one_offers_it()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, new Dictionary<string, string?> { ["Login:SendCode:BusinessNumber"] = "" });
        using var portal = await AdminPortal.SignInAsync(server);
        using var visitor = server.CreateClient();

        var page = await portal.GetAsync(Page);
        Assert.Contains("id=\"send-code-inactive\"", page);
        Assert.Contains("needs a business WhatsApp number", page);
        Assert.DoesNotContain("id=\"send-code-login\"", await visitor.GetStringAsync("/login"));

        var bad = await (await portal.PostAsync(Page, ("Login:SendCode:BusinessNumber", "0811"))).Content.ReadAsStringAsync();
        Assert.Matches("id=\"f-Login-SendCode-BusinessNumber-error\">must be E.164", bad);
        await portal.PostAsync(Page, ("Login:SendCode:BusinessNumber", "+6281100000000"));

        Assert.DoesNotContain("id=\"send-code-inactive\"", await portal.GetAsync(Page));
        Assert.Contains("id=\"send-code-login\"", await visitor.GetStringAsync("/login"));
    }
}
