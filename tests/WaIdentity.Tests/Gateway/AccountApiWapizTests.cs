using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.Tests.Login;

namespace WaIdentity.Tests.Gateway;

/// <summary>
/// Gateway:Account:Compatibility=Wapiz: an app written against WAPIZ's account API posts WAPIZ's documented requests
/// and reads back WAPIZ's documented answers (ok, role, createdAt), with error texts in the request's language.
/// </summary>
public sealed class AccountApiWapizTests
{
    private static async Task<(int Status, JsonElement Body, HttpResponseMessage Response)> SendAsync(HttpClient http, HttpMethod method, string path, object? body = null, string? language = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        if (language is not null) request.Headers.AcceptLanguage.ParseAdd(language);
        var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone(), response);
    }

    private static void AssertError((int Status, JsonElement Body, HttpResponseMessage Response) answer, int status, string error)
    {
        Assert.Equal(status, answer.Status);
        Assert.Equal("application/json; charset=utf-8", answer.Response.Content.Headers.ContentType!.ToString());
        Assert.False(answer.Body.GetProperty("ok").GetBoolean());
        Assert.Equal(error, answer.Body.GetProperty("error").GetString());
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task WAPIZ_requests_get_WAPIZ_answers_in_the_requests_language(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var server = await IdpTestServer.StartAsync(db, new Dictionary<string, string?> { ["Gateway:Account:Compatibility"] = "Wapiz" });
        using var http = server.CreateClient(new CookieContainer());

        // POST /api/auth/register {name, email, password} -> 201 { ok: true, user: { id, name, email } } + wa_token
        var registered = await SendAsync(http, HttpMethod.Post, "/api/auth/register", new { name = "John Doe", email = "john@example.com", password = "rahasia123" });
        Assert.Equal(201, registered.Status);
        Assert.True(registered.Body.GetProperty("ok").GetBoolean());
        var user = registered.Body.GetProperty("user");
        Assert.False(string.IsNullOrEmpty(user.GetProperty("id").GetString()));
        Assert.Equal("John Doe", user.GetProperty("name").GetString());
        Assert.Equal("john@example.com", user.GetProperty("email").GetString());
        Assert.Contains(registered.Response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("wa_token="));

        // GET /api/auth/me -> { id, name, email, role, createdAt }
        var me = await SendAsync(http, HttpMethod.Get, "/api/auth/me");
        Assert.Equal(200, me.Status);
        Assert.Equal(user.GetProperty("id").GetString(), me.Body.GetProperty("id").GetString());
        Assert.Equal("USER", me.Body.GetProperty("role").GetString());
        Assert.True(me.Body.GetProperty("createdAt").TryGetDateTimeOffset(out _));
        Assert.False(me.Body.TryGetProperty("created_at", out _));

        // Errors: { ok: false, error } with WAPIZ's status codes, in Indonesian for Accept-Language: id.
        AssertError(await SendAsync(http, HttpMethod.Post, "/api/auth/register", new { name = "X", email = "john@example.com", password = "rahasia123" }, "id"), 409, "Email sudah terdaftar.");
        AssertError(await SendAsync(http, HttpMethod.Post, "/api/auth/register", new { name = "X", email = "x@example.com", password = "pendek" }, "id"), 400, "Password minimal 8 karakter.");
        AssertError(await SendAsync(http, HttpMethod.Post, "/api/auth/register", new { name = "X", email = "x@example.com", password = "pendek" }, "en-US,en;q=0.9"), 400, "The password must have at least 8 characters.");
        AssertError(await SendAsync(http, HttpMethod.Post, "/api/auth/login", new { email = "john@example.com" }, "id-ID,id;q=0.9"), 400, "Email dan password wajib diisi.");
        AssertError(await SendAsync(http, HttpMethod.Post, "/api/auth/login", new { email = "john@example.com", password = "salah-salah" }, "id"), 401, "Email atau password salah.");

        // POST /api/auth/login {email, password} -> 200 { ok: true, user: { id, name, email, role } }
        var login = await SendAsync(http, HttpMethod.Post, "/api/auth/login", new { email = "john@example.com", password = "rahasia123" });
        Assert.Equal(200, login.Status);
        Assert.True(login.Body.GetProperty("ok").GetBoolean());
        Assert.Equal("USER", login.Body.GetProperty("user").GetProperty("role").GetString());
        Assert.Equal("john@example.com", login.Body.GetProperty("user").GetProperty("email").GetString());

        // GET /api/auth/logout from a browser: the sign-out page (a GET changes nothing), whose button signs out.
        var link = await http.GetAsync("/api/auth/logout");
        Assert.Equal(HttpStatusCode.Redirect, link.StatusCode);
        Assert.Equal("/logout", link.Headers.Location!.OriginalString);
        var signOut = await LoginForms.PostAsync(http, "/logout", "/logout");
        Assert.Equal(HttpStatusCode.SeeOther, signOut.StatusCode);
        AssertError(await SendAsync(http, HttpMethod.Get, "/api/auth/me", language: "id"), 401, "Login terlebih dahulu (POST /api/auth/login).");
        // Signed out, the same link sends the browser to the login page.
        Assert.Equal("/login", (await http.GetAsync("/api/auth/logout")).Headers.Location!.OriginalString);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_default_shape_keeps_problem_details_with_the_detail_in_the_requests_language(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var server = await IdpTestServer.StartAsync(db);
        using var http = server.CreateClient(new CookieContainer());

        var wrong = await SendAsync(http, HttpMethod.Post, "/api/auth/login", new { email = "nobody@example.com", password = "salah-salah" }, "id");
        GatewayTestHost.AssertProblem(wrong.Response, wrong.Body, 401, "invalid-credentials");
        Assert.Equal("Email atau password salah.", wrong.Body.GetProperty("detail").GetString());
        Assert.False(wrong.Body.TryGetProperty("ok", out _));

        var registered = await SendAsync(http, HttpMethod.Post, "/api/auth/register", new { name = "Siti", email = "siti@example.com", password = "longenough" });
        Assert.False(registered.Body.TryGetProperty("ok", out _));
        Assert.True(registered.Body.GetProperty("user").TryGetProperty("created_at", out _));
    }
}
