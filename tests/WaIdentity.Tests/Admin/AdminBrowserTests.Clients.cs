using System.Net.Http.Json;
using System.Text.Json;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Oidc;

namespace WaIdentity.Tests.Admin;

/// <summary>The client page's endpoints panel and deleting a client in the portal.</summary>
public sealed partial class AdminBrowserTests
{
    [Fact]
    public async Task The_client_page_shows_the_discovery_documents_endpoints_with_copy_buttons()
    {
        await using var host = await OidcTestHost.StartAsync(DatabaseProvider.Sqlite);
        await host.CreateClientAsync("notes");
        var admin = await AdminPageAsync(host.Server);
        await admin.GotoAsync(Url(host.Server, "/admin/clients/notes"));

        using var http = host.Server.CreateClient();
        var discovery = await http.GetFromJsonAsync<JsonElement>("/.well-known/openid-configuration");
        Assert.Equal(host.Issuer, await admin.InnerTextAsync("#ep-issuer"));
        Assert.Equal(host.Issuer + "/.well-known/openid-configuration", await admin.InnerTextAsync("#ep-discovery"));
        foreach (var (id, field) in new[] { ("authorize", "authorization_endpoint"), ("token", "token_endpoint"),
                     ("userinfo", "userinfo_endpoint"), ("end-session", "end_session_endpoint"), ("jwks", "jwks_uri") })
            Assert.Equal(discovery.GetProperty(field).GetString(), await admin.InnerTextAsync($"#ep-{id}"));

        await admin.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await admin.ClickAsync("button[data-copy='ep-token']");
        await admin.WaitForSelectorAsync("#ep-token-copied:has-text('Copied')", Patience);
        Assert.Equal(discovery.GetProperty("token_endpoint").GetString(), await admin.EvaluateAsync<string>("navigator.clipboard.readText()"));
    }

    [Fact]
    public async Task A_client_deleted_in_the_portal_after_confirming_can_no_longer_get_tokens_and_the_audit_says_so()
    {
        await using var host = await OidcTestHost.StartAsync(DatabaseProvider.Sqlite);
        var secret = await host.CreateClientAsync("robot", grants: ["client_credentials"], scopes: ["wa.send"]);
        var admin = await AdminPageAsync(host.Server);
        await admin.GotoAsync(Url(host.Server, "/admin/clients/robot"));

        // Cancel first: nothing happens.
        await admin.ClickAsync("#delete-client");
        await admin.WaitForSelectorAsync("#confirm[open]", Patience);
        await admin.ClickAsync("#confirm-no");
        Assert.EndsWith("/admin/clients/robot", admin.Url);
        Assert.Equal(200, await TokenStatusAsync(host, secret!));

        await admin.ClickAsync("#delete-client");
        await admin.ClickAsync("#confirm-yes");
        await admin.WaitForSelectorAsync("#clients-message", Patience);
        Assert.Equal(0, await admin.Locator("a[href='/admin/clients/robot']").CountAsync());
        Assert.Equal(401, await TokenStatusAsync(host, secret!));

        await admin.GotoAsync(Url(host.Server, "/admin/audit"));
        await admin.WaitForSelectorAsync("td:has-text('client.delete')", Patience);
    }

    private static async Task<int> TokenStatusAsync(OidcTestHost host, string secret) =>
        (await host.TokenAsync(new() { ["grant_type"] = "client_credentials", ["scope"] = "wa.send" }, "robot", secret)).Status;
}
