using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Infrastructure;

namespace WaIdentity.Tests.Oidc;

/// <summary>
/// Pushed authorization requests (RFC 9126) as openid-client drives them (tests/rp/par.mjs): the code flow through a
/// pushed request, single use, another client's request_uri, a client that must push, and the PAR endpoint's errors;
/// and the one-minute lifetime of a request_uri on the app's clock.
/// </summary>
public sealed class PushedAuthorizationTests
{
    private static readonly string[] Checks =
    [
        "discovery advertises the PAR endpoint and does not require PAR of everyone",
        "a pushed request completes the code flow (login, code, tokens)",
        "the PAR answer is 201 with a one-minute urn:ietf:params:oauth:request_uri",
        "a reused request_uri is refused (invalid_request_uri, no redirect)",
        "a request_uri pushed by another client is refused and stays usable by its own client",
        "only the pushed parameters count: front-channel extras are ignored",
        "a client that requires PAR is refused a plain authorization request (invalid_request)",
        "a client that requires PAR completes a pushed request",
        "PAR with a wrong client secret is invalid_client (401)",
        "PAR with an unregistered redirect_uri is invalid_request (400)",
        "PAR without the openid scope is invalid_scope (400)",
        "PAR carrying a request_uri is invalid_request (400)",
    ];

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Openid_client_pushes_requests_and_sees_every_PAR_error(DatabaseProvider provider)
    {
        await using var host = await OidcTestHost.StartAsync(provider);
        await OidcTestHost.RunChecksAsync("par.mjs", await ArgumentsAsync(host), Checks);
    }

    [Fact]
    public async Task A_request_uri_lives_sixty_seconds()
    {
        await using var host = await OidcTestHost.StartAsync(DatabaseProvider.Sqlite);
        var args = await ArgumentsAsync(host);

        var fresh = await PushAsync(args);
        host.Server.Clock.Advance(TimeSpan.FromSeconds(55));
        var inTime = await host.FollowAsync(host.Browser(), fresh, login: false);
        // Still valid after 55 s: the user is sent to log in (the request was taken and saved as pending).
        Assert.Equal(200, inTime.Status);
        Assert.Contains(inTime.Visited, v => v.Contains("/login?returnUrl="));

        var stale = await PushAsync(args);
        host.Server.Clock.Advance(TimeSpan.FromSeconds(61));
        var late = await host.FollowAsync(host.Browser(), stale, login: false);
        Assert.Null(late.Callback);
        Assert.Equal(400, late.Status);
        Assert.Contains("invalid_request_uri", late.Page);
    }

    private static async Task<string> PushAsync(Dictionary<string, object> args)
    {
        var pushOnly = new Dictionary<string, object>(args) { ["pushOnly"] = true };
        var url = new Uri((await OidcTestHost.RunNodeAsync("par.mjs", pushOnly)).GetProperty("url").GetString()!);
        return url.PathAndQuery;
    }

    private static async Task<Dictionary<string, object>> ArgumentsAsync(OidcTestHost host)
    {
        var clients = new Dictionary<string, object>();
        foreach (var (id, requirePar) in new[] { ("shop", false), ("other", false), ("strict", true) })
            clients[id] = new { clientId = id, clientSecret = await host.CreateClientAsync(id, requirePar: requirePar) };
        return new()
        {
            ["issuer"] = host.Issuer, ["redirectUri"] = OidcTestHost.Callback, ["email"] = OidcTestHost.Email,
            ["password"] = OidcTestHost.Password, ["clients"] = clients,
        };
    }
}
