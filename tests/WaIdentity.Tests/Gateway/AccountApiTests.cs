using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using WaIdentity.IdP.Persistence;
using WaIdentity.IdP.Users;
using WaIdentity.Tests.Infrastructure;

namespace WaIdentity.Tests.Gateway;

/// <summary>/api/auth/*: WAPIZ-style account API with the wa_token session cookie.</summary>
public sealed class AccountApiTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Register_me_logout_and_login_answer_with_the_documented_status_codes(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var server = await IdpTestServer.StartAsync(db);
        var jar = new CookieContainer();
        using var http = server.CreateClient(jar);

        var registered = await GatewayTestHost.ReadAsync(await http.PostAsJsonAsync("/api/auth/register", new { name = "Siti", email = "siti@example.com", password = "longenough" }));
        Assert.Equal(201, registered.Status);
        Assert.Equal("siti@example.com", registered.Body.GetProperty("user").GetProperty("email").GetString());
        var setCookie = registered.Response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("wa_token="));
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", setCookie, StringComparison.OrdinalIgnoreCase);

        var me = await GatewayTestHost.ReadAsync(await http.GetAsync("/api/auth/me"));
        Assert.Equal(200, me.Status);
        Assert.Equal("Siti", me.Body.GetProperty("name").GetString());
        Assert.False(me.Body.GetProperty("two_factor_enabled").GetBoolean());
        Assert.True(me.Body.TryGetProperty("phone_number", out _));
        // The API cookie is not the IdP's login session: the browser is not signed in to the IdP's pages by it.
        Assert.DoesNotContain(jar.GetCookies(server.BaseAddress), c => c.Name.Contains("waid.session"));

        var missing = await GatewayTestHost.ReadAsync(await http.PostAsJsonAsync("/api/auth/register", new { name = "X", email = "x@example.com" }));
        GatewayTestHost.AssertProblem(missing.Response, missing.Body, 400, "invalid-request");
        var shortPassword = await GatewayTestHost.ReadAsync(await http.PostAsJsonAsync("/api/auth/register", new { name = "X", email = "x@example.com", password = "short" }));
        GatewayTestHost.AssertProblem(shortPassword.Response, shortPassword.Body, 400, "invalid-request");
        Assert.True(shortPassword.Body.GetProperty("errors").TryGetProperty("password", out _));
        var taken = await GatewayTestHost.ReadAsync(await http.PostAsJsonAsync("/api/auth/register", new { name = "Other", email = "SITI@example.com", password = "longenough" }));
        GatewayTestHost.AssertProblem(taken.Response, taken.Body, 409, "email-taken");

        // A GET changes nothing (an image on any page could send it): the browser goes to the sign-out page.
        var logoutLink = await http.GetAsync("/api/auth/logout");
        Assert.Equal(HttpStatusCode.Redirect, logoutLink.StatusCode);
        Assert.Equal("/logout", logoutLink.Headers.Location!.OriginalString);
        Assert.Equal(200, (int)(await http.GetAsync("/api/auth/me")).StatusCode);
        var logout = await GatewayTestHost.ReadAsync(await http.PostAsync("/api/auth/logout", null));
        Assert.Equal(200, logout.Status);
        Assert.True(logout.Body.GetProperty("ok").GetBoolean());
        var after = await GatewayTestHost.ReadAsync(await http.GetAsync("/api/auth/me"));
        GatewayTestHost.AssertProblem(after.Response, after.Body, 401, "not-signed-in");
        Assert.Equal("/login", (await http.GetAsync("/api/auth/logout")).Headers.Location!.OriginalString);

        var wrong = await GatewayTestHost.ReadAsync(await http.PostAsJsonAsync("/api/auth/login", new { email = "siti@example.com", password = "wrong-password" }));
        GatewayTestHost.AssertProblem(wrong.Response, wrong.Body, 401, "invalid-credentials");
        var unknown = await GatewayTestHost.ReadAsync(await http.PostAsJsonAsync("/api/auth/login", new { email = "nobody@example.com", password = "wrong-password" }));
        Assert.Equal(wrong.Body.GetProperty("detail").GetString(), unknown.Body.GetProperty("detail").GetString()); // no account enumeration
        var empty = await GatewayTestHost.ReadAsync(await http.PostAsJsonAsync("/api/auth/login", new { email = "siti@example.com" }));
        GatewayTestHost.AssertProblem(empty.Response, empty.Body, 400, "invalid-request");
        var ok = await GatewayTestHost.ReadAsync(await http.PostAsJsonAsync("/api/auth/login", new { email = "siti@example.com", password = "longenough" }));
        Assert.Equal(200, ok.Status);
        Assert.Equal(200, (int)(await http.GetAsync("/api/auth/me")).StatusCode);

        var deleted = await GatewayTestHost.ReadAsync(await http.DeleteAsync("/api/auth/me"));
        Assert.Equal(200, deleted.Status);
        Assert.True(deleted.Body.GetProperty("ok").GetBoolean());
        Assert.Equal(401, (int)(await http.GetAsync("/api/auth/me")).StatusCode);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Register_refuses_a_bad_email_or_a_blank_name_and_is_rate_limited_per_ip(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var server = await IdpTestServer.StartAsync(db, new Dictionary<string, string?> { ["Gateway:Account:RegistrationsPerHour"] = "2" });
        using var http = server.CreateClient();
        Task<(int Status, System.Text.Json.JsonElement Body, HttpResponseMessage Response)> RegisterAsync(object body) =>
            http.PostAsJsonAsync("/api/auth/register", body).ContinueWith(t => GatewayTestHost.ReadAsync(t.Result)).Unwrap();

        foreach (var email in new[] { "siti", "siti.example.com", new string('a', 250) + "@example.com" })
        {
            var bad = await RegisterAsync(new { name = "Siti", email, password = "longenough" });
            GatewayTestHost.AssertProblem(bad.Response, bad.Body, 400, "invalid-request");
            Assert.Equal("The name or e-mail address is not valid.", bad.Body.GetProperty("detail").GetString());
            Assert.Equal(["email"], bad.Body.GetProperty("errors").EnumerateObject().Select(p => p.Name));
        }
        foreach (var body in new object[] { new { name = "   ", email = "siti@example.com", password = "longenough" }, new { email = "siti@example.com", password = "longenough" } })
        {
            var noName = await RegisterAsync(body);
            GatewayTestHost.AssertProblem(noName.Response, noName.Body, 400, "invalid-request");
            Assert.Equal(["name"], noName.Body.GetProperty("errors").EnumerateObject().Select(p => p.Name));
        }
        Assert.Equal(0, await UserCountAsync(server));

        // Refused requests did not use the allowance (2 per IP per hour): two accounts, then 429 with Retry-After.
        Assert.Equal(201, (await RegisterAsync(new { name = "Siti", email = "siti@example.com", password = "longenough" })).Status);
        Assert.Equal(201, (await RegisterAsync(new { name = "Budi", email = "budi@example.com", password = "longenough" })).Status);
        var limited = await RegisterAsync(new { name = "Tono", email = "tono@example.com", password = "longenough" });
        GatewayTestHost.AssertProblem(limited.Response, limited.Body, 429, "rate-limited");
        var retryAfter = int.Parse(limited.Response.Headers.GetValues("Retry-After").Single());
        Assert.InRange(retryAfter, 1, 3600);
        Assert.Equal(2, await UserCountAsync(server));
    }

    private static Task<int> UserCountAsync(IdpTestServer server) =>
        server.InScopeAsync(sp => sp.GetRequiredService<UserManager<IdpUser>>().Users.CountAsync());

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_cookie_is_a_server_side_session_that_logout_ends_even_if_the_cookie_is_kept(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var server = await IdpTestServer.StartAsync(db);
        using var http = server.CreateClient();
        var r = await http.PostAsJsonAsync("/api/auth/register", new { name = "Rina", email = "rina@example.com", password = "longenough" });
        var cookie = r.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("wa_token=")).Split(';')[0];

        using var stolen = server.CreateClient(new CookieContainer());
        stolen.DefaultRequestHeaders.Add("Cookie", cookie);
        Assert.Equal(200, (int)(await stolen.GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal(200, (int)(await http.DeleteAsync("/api/auth/me")).StatusCode);
        Assert.Equal(401, (int)(await stolen.GetAsync("/api/auth/me")).StatusCode);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Forms_are_refused_logins_are_rate_limited_and_a_second_factor_is_not_bypassed(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var server = await IdpTestServer.StartAsync(db, new Dictionary<string, string?> { ["Login:Password:FailuresPerIpPer15Minutes"] = "3" });
        using var http = server.CreateClient();

        // A cross-site HTML form can only send form or text bodies: refused (CSRF), nothing is created.
        var form = await http.PostAsync("/api/auth/register", new StringContent("{\"name\":\"A\",\"email\":\"a@example.com\",\"password\":\"longenough\"}", Encoding.UTF8, "text/plain"));
        Assert.Equal(415, (int)form.StatusCode);
        Assert.Null(await server.InScopeAsync(sp => sp.GetRequiredService<UserManager<IdpUser>>().FindByEmailAsync("a@example.com")));

        await http.PostAsJsonAsync("/api/auth/register", new { name = "Tono", email = "tono@example.com", password = "longenough" });
        await server.InScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<UserManager<IdpUser>>();
            return await users.SetTwoFactorEnabledAsync((await users.FindByEmailAsync("tono@example.com"))!, true);
        });
        var twoFactor = await GatewayTestHost.ReadAsync(await http.PostAsJsonAsync("/api/auth/login", new { email = "tono@example.com", password = "longenough" }));
        GatewayTestHost.AssertProblem(twoFactor.Response, twoFactor.Body, 403, "second-factor-required");

        // Failures count, a right password does not: three wrong ones use up the allowance.
        for (var i = 0; i < 3; i++) await http.PostAsJsonAsync("/api/auth/login", new { email = "tono@example.com", password = "guess" + i });
        var limited = await GatewayTestHost.ReadAsync(await http.PostAsJsonAsync("/api/auth/login", new { email = "tono@example.com", password = "longenough" }));
        GatewayTestHost.AssertProblem(limited.Response, limited.Body, 429, "rate-limited");
        Assert.True(limited.Response.Headers.Contains("Retry-After"));
    }
}
