using System.Net;
using System.Text.RegularExpressions;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Infrastructure;

namespace WaIdentity.Tests.Oidc;

public sealed class PasswordLoginTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Unknown_email_and_wrong_password_look_the_same_and_failures_slow_the_address_down(DatabaseProvider provider)
    {
        await using var host = await OidcTestHost.StartAsync(provider);
        var browser = host.Browser();

        var unknown = await PostAsync(browser, "nobody@example.com", OidcTestHost.Password);
        var wrong = await PostAsync(browser, OidcTestHost.Email, "wrong password");
        Assert.Equal(HttpStatusCode.OK, unknown.Status);
        Assert.Equal(HttpStatusCode.OK, wrong.Status);
        Assert.Contains("The email or password is not correct.", unknown.Html);
        Assert.Equal(ErrorText(unknown.Html), ErrorText(wrong.Html));

        // Failures slow this address down (growing delays, then its 10 per 15 minutes), never locking the account.
        for (var i = 0; i < 8; i++) await PostAsync(browser, OidcTestHost.Email, "wrong password");
        var refused = await PostAsync(browser, OidcTestHost.Email, OidcTestHost.Password);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status); // the right password waits too
        Assert.StartsWith("Too many sign-in attempts. Try again in", ErrorText(refused.Html));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_successful_login_moves_on_only_to_a_local_return_url_without_a_redirect(DatabaseProvider provider)
    {
        await using var host = await OidcTestHost.StartAsync(provider);
        var local = await PostAsync(host.Browser(), OidcTestHost.Email, OidcTestHost.Password, "/connect/authorize?request_id=abc");
        Assert.Equal(HttpStatusCode.OK, local.Status);
        Assert.Null(local.Location);
        Assert.Equal("0;url=/connect/authorize?request_id=abc", local.Refresh);
        var foreign = await PostAsync(host.Browser(), OidcTestHost.Email, OidcTestHost.Password, "https://evil.example/");
        Assert.Equal("0;url=/", foreign.Refresh);
    }

    private static string ErrorText(string html) => Regex.Match(html, "<p class=\"error\"[^>]*>([^<]*)</p>").Groups[1].Value;

    private static async Task<(HttpStatusCode Status, string Html, string? Location, string? Refresh)> PostAsync(HttpClient browser, string email, string password, string returnUrl = "/")
    {
        var page = await browser.GetStringAsync("/login/password");
        var token = AntiforgeryToken.In(page);
        var response = await browser.PostAsync("/login/password", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = email, ["Password"] = password, ["ReturnUrl"] = returnUrl, ["__RequestVerificationToken"] = token,
        }));
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.Location?.ToString(),
            response.Headers.TryGetValues("Refresh", out var refresh) ? refresh.Single() : null);
    }
}
