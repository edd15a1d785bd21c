using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Channel;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.Tests.Login;
using WaIdentity.Tests.Oidc;

namespace WaIdentity.Tests.Hosting;

/// <summary>The real executable's JSON logs, as a log collector reads them from stdout.</summary>
public sealed class StructuredLogTests
{
    private const string Email = "ops@example.com";
    private const string Password = "log-test-password-4711";

    [Fact]
    public async Task Json_logs_of_a_WhatsApp_code_login_and_a_password_login_carry_request_and_trace_ids_and_no_code_password_or_phone()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        var settings = new Dictionary<string, string?>(ChannelTestKit.Settings()) { ["Logging:Format"] = "json" };
        foreach (var (k, v) in db.Settings) settings[k] = v;
        var created = await IdpCli.RunAsync(["admin", "create", "--email", Email], settings, stdin: Password);
        Assert.True(created.ExitCode == 0, created.StdErr);
        await using var node = await IdpNode.StartAsync(settings);
        var phone = ChannelTestKit.NewPhone();
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies }) { BaseAddress = node.BaseAddress };

        await LoginForms.StartAsync(browser, phone);
        var code = await CodeFromInboxAsync(browser, phone);
        var codeLogin = await LoginForms.PostAsync(browser, "/login/code", "/login/code", ("Code", code));
        Assert.Contains("/?from=app", await codeLogin.Content.ReadAsStringAsync()); // signed in: the page says where it continues
        using var passwordBrowser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = node.BaseAddress };
        await OidcTestHost.LoginAsync(passwordBrowser, "/login/password?returnUrl=%2F", Email, Password);
        var lines = await Eventually.ValueAsync(() => Task.FromResult(JsonLines(node.Output)),
            l => l.Any(e => Is(e, "POST", "/login/password")) && l.Any(e => e.ToString().Contains("is now Delivered")), ChannelTestKit.Patience);

        var requestLines = lines.Where(e => Category(e) == "WaIdentity.IdP.Hosting.RequestLoggingMiddleware").ToList();
        Assert.Contains(requestLines, e => Is(e, "POST", "/login/code"));
        Assert.All(lines.Where(e => Scope(e, "RequestId") is not null).Concat(requestLines), e =>
        {
            Assert.Matches("^[0-9a-f]{32}$", Scope(e, "TraceId"));
            Assert.False(string.IsNullOrEmpty(Scope(e, "RequestId")));
        });
        var everything = node.Output;
        Assert.DoesNotContain(code, everything);
        Assert.DoesNotContain(Password, everything);
        Assert.DoesNotContain(phone[1..], everything);         // 62812..., with or without the plus
        Assert.DoesNotContain("0" + phone[3..], everything);   // the national form 0812...
        Assert.DoesNotContain(phone[3..], everything);         // the subscriber number alone
        foreach (Cookie cookie in cookies.GetAllCookies()) Assert.DoesNotContain(cookie.Value, everything);
    }

    private static async Task<string> CodeFromInboxAsync(HttpClient client, string phone)
    {
        var items = await Eventually.ValueAsync(
            () => client.GetFromJsonAsync<List<ChannelTestKit.InboxItem>>($"/dev/inbox/api/messages?to={Uri.EscapeDataString(phone)}", new JsonSerializerOptions(JsonSerializerDefaults.Web))!,
            m => m!.Any(i => i.Code is not null), ChannelTestKit.Patience);
        return items!.First(i => i.Code is not null).Code!;
    }

    /// <summary>Every stdout line must be one JSON object; the test fails on any that is not.</summary>
    private static List<JsonElement> JsonLines(string output) =>
        [.. output.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone())];

    private static string? Category(JsonElement e) => e.TryGetProperty("Category", out var c) ? c.GetString() : null;

    private static bool Is(JsonElement e, string method, string path) =>
        Category(e) == "WaIdentity.IdP.Hosting.RequestLoggingMiddleware" && e.GetProperty("State").GetProperty("Method").GetString() == method
        && e.GetProperty("State").GetProperty("Path").GetString() == path;

    private static string? Scope(JsonElement e, string name)
    {
        if (!e.TryGetProperty("Scopes", out var scopes)) return null;
        foreach (var scope in scopes.EnumerateArray())
            if (scope.ValueKind == JsonValueKind.Object && scope.TryGetProperty(name, out var value)) return value.ToString();
        return null;
    }
}
