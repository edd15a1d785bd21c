using System.Net;
using WaIdentity.IdP.Sessions;
using WaIdentity.IdP.Users;
using WaIdentity.Tests.Infrastructure;

namespace WaIdentity.Tests.Admin;

/// <summary>An admin signed in at loa:2 with an HTTP client that posts the portal's forms as a browser would.</summary>
internal sealed class AdminPortal(HttpClient client, CookieContainer cookies, IdpUser admin) : IDisposable
{
    public HttpClient Client => client;
    public CookieContainer Cookies => cookies;
    public IdpUser Admin => admin;

    public static async Task<AdminPortal> SignInAsync(IdpTestServer server, string email = "admin@example.com")
    {
        var admin = await SignedInSession.CreateUserAsync(server, email, Roles.Admin);
        var cookies = await SignedInSession.SignInAsync(server, admin.Id, AuthenticationLevels.TwoFactors);
        return new AdminPortal(server.CreateClient(cookies), cookies, admin);
    }

    public async Task<string> GetAsync(string path)
    {
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Posts the page's form with the given fields (and its antiforgery token); returns the response.</summary>
    public async Task<HttpResponseMessage> PostAsync(string path, params (string Key, string Value)[] fields)
    {
        var token = AntiforgeryToken.In(await GetAsync(path.Split('?')[0]));
        var form = fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)).Append(new(AntiforgeryToken.FieldName, token));
        return await client.PostAsync(path, new FormUrlEncodedContent(form));
    }

    public void Dispose() => client.Dispose();
}
