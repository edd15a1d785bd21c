using System.Text.Json;
using Microsoft.Playwright;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.Tests.Login;

namespace WaIdentity.Tests.Gateway;

/// <summary>/apidocs: the OpenAPI document and the interactive page, which must work under the IdP's CSP.</summary>
public sealed class ApiDocsTests(LoginBrowser browser) : BrowserTests(browser)
{
    [Fact]
    public async Task The_openapi_document_lists_every_endpoint_with_the_bearer_scheme_and_examples()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db);
        using var http = server.CreateClient();
        var doc = JsonDocument.Parse(await http.GetStringAsync("/apidocs/v1/openapi.json")).RootElement;
        var paths = doc.GetProperty("paths");
        foreach (var p in new[] { "/api/v1/messages", "/api/v1/messages/{id}", "/api/v1/verification_code", "/api/v1/verification_code/{id}",
            "/api/auth/register", "/api/auth/login", "/api/auth/me", "/api/auth/logout" })
            Assert.True(paths.TryGetProperty(p, out _), p);
        Assert.False(paths.TryGetProperty("/connect/token", out _)); // only the gateway API is documented here
        var bearer = doc.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer");
        Assert.Equal("http", bearer.GetProperty("type").GetString());
        var send = paths.GetProperty("/api/v1/messages").GetProperty("post");
        Assert.True(send.GetProperty("security")[0].TryGetProperty("bearer", out _));
        Assert.Equal("+6281234567890", send.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("example").GetProperty("to").GetString());
    }

    [Fact]
    public async Task The_openapi_document_offers_client_credentials_at_the_token_endpoint_and_describes_the_webhooks()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db);
        using var http = server.CreateClient();
        var doc = JsonDocument.Parse(await http.GetStringAsync("/apidocs/v1/openapi.json")).RootElement;
        var discovery = JsonDocument.Parse(await http.GetStringAsync("/.well-known/openid-configuration")).RootElement;

        var oauth = doc.GetProperty("components").GetProperty("securitySchemes").GetProperty("oauth2");
        Assert.Equal("oauth2", oauth.GetProperty("type").GetString());
        var flow = oauth.GetProperty("flows").GetProperty("clientCredentials");
        Assert.Equal(discovery.GetProperty("token_endpoint").GetString(), flow.GetProperty("tokenUrl").GetString());
        Assert.True(flow.GetProperty("scopes").TryGetProperty("wa.send", out _));
        var send = doc.GetProperty("paths").GetProperty("/api/v1/messages").GetProperty("post");
        Assert.Contains(send.GetProperty("security").EnumerateArray(), r => r.TryGetProperty("oauth2", out _));

        var schemas = doc.GetProperty("components").GetProperty("schemas");
        var callback = schemas.GetProperty("VerificationCallback");
        Assert.Contains("X-WaIdentity-Signature", callback.GetProperty("description").GetString());
        foreach (var field in new[] { "id", "status", "verification_code", "phone_number", "profile_name", "validated_at" })
            Assert.False(string.IsNullOrEmpty(callback.GetProperty("properties").GetProperty(field).GetProperty("description").GetString()), field);
        var inbound = schemas.GetProperty("InboundMessage");
        foreach (var field in new[] { "id", "from", "profile_name", "text", "sent_at" })
            Assert.True(inbound.GetProperty("properties").TryGetProperty(field, out _), field);
    }

    [Fact]
    public async Task The_interactive_page_renders_under_the_csp()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db);
        var page = await browser.NewPageAsync();
        var violations = new List<string>();
        page.Console += (_, m) => { if (m.Text.Contains("Content Security Policy")) violations.Add(m.Text); };
        var response = await page.GotoAsync(new Uri(server.BaseAddress, "/apidocs/index.html").ToString());
        Assert.Contains("script-src 'self' 'nonce-", response!.Headers["content-security-policy"]);
        await page.Locator(".opblock-summary-path", new() { HasText = "/api/v1/verification_code" }).First.WaitForAsync();
        Assert.True(await page.Locator("button.authorize").IsVisibleAsync());
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }
}
