using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.Tokens;
using WaIdentity.IdP.Oidc.Clients;
using WaIdentity.IdP.Persistence;
using WaIdentity.IdP.Users;
using WaIdentity.Tests.Infrastructure;

namespace WaIdentity.Tests.Oidc;

/// <summary>
/// The IdP on a real port with a user and clients, plus what a relying party does over HTTP: authorize (logging in
/// through the password page when sent to /login), token requests, and running the node openid-client scripts.
/// </summary>
public sealed class OidcTestHost : IAsyncDisposable
{
    public const string Email = "ana@example.com";
    public const string Password = "correct horse battery";
    public const string Phone = "+6281234567890";
    public const string Callback = "http://127.0.0.1:9/callback";

    private readonly TestDatabase _db;
    public IdpTestServer Server { get; }
    public TestDatabase Database => _db;
    public string Issuer => Server.BaseAddress.ToString().TrimEnd('/');
    public string UserId { get; private set; } = "";

    private OidcTestHost(TestDatabase db, IdpTestServer server)
    {
        _db = db;
        Server = server;
    }

    public static async Task<OidcTestHost> StartAsync(DatabaseProvider provider, IReadOnlyDictionary<string, string?>? settings = null, string environment = "Development")
    {
        var db = await TestDatabase.CreateAsync(provider);
        var host = new OidcTestHost(db, await IdpTestServer.StartAsync(db, settings, environment));
        host.UserId = await host.CreateUserAsync(Email, Password, "Ana Lestari", Phone);
        return host;
    }

    public Task<string> CreateUserAsync(string email, string password, string name, string? phone) => Server.InScopeAsync(async sp =>
    {
        var users = sp.GetRequiredService<UserManager<IdpUser>>();
        var user = new IdpUser
        {
            UserName = email, Email = email, EmailConfirmed = true, DisplayName = name, PhoneNumber = phone,
            PhoneNumberConfirmed = phone is not null, LockoutEnabled = true, CreatedAt = DateTimeOffset.UtcNow,
        };
        var result = await users.CreateAsync(user, password);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));
        return user.Id;
    });

    /// <summary>Registers a client and returns its secret (null for public clients and clients with keys).</summary>
    public Task<string?> CreateClientAsync(string clientId, bool isPublic = false, bool firstParty = true, string alg = "ES256",
        string[]? grants = null, string[]? scopes = null, string redirectUri = Callback, bool requirePar = false, string? jwks = null,
        string? jwksUri = null, bool requireDpop = false) => Server.InScopeAsync(async sp =>
    {
        var (_, secret) = await sp.GetRequiredService<ClientRegistry>().CreateAsync(new ClientDefinition
        {
            ClientId = clientId, Public = isPublic, FirstParty = firstParty, SigningAlgorithm = alg,
            RequirePushedAuthorizationRequests = requirePar, Jwks = jwks, JwksUri = jwksUri, DpopBoundAccessTokens = requireDpop,
            RedirectUris = [redirectUri], PostLogoutRedirectUris = ["http://127.0.0.1:9/bye"],
            GrantTypes = [.. grants ?? ["authorization_code", "refresh_token"]],
            Scopes = [.. scopes ?? ["openid", "profile", "email", "phone", "offline_access"]],
        });
        return secret;
    });

    public HttpClient Browser() => Server.CreateClient(new CookieContainer());

    /// <summary>Registers a public client and returns its first token response (authorization code with PKCE).</summary>
    public async Task<JsonElement> PublicClientTokensAsync(string clientId)
    {
        await CreateClientAsync(clientId, isPublic: true);
        var (code, verifier) = await CodeAsync(clientId);
        var form = CodeForm(code, verifier);
        form["client_id"] = clientId;
        return (await TokenAsync(form)).Body;
    }

    public static (string Verifier, string Challenge) NewPkce()
    {
        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        return (verifier, Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }

    public static string AuthorizeUrl(string clientId, IDictionary<string, string?>? extra = null, string? challenge = null)
    {
        var p = new Dictionary<string, string?>
        {
            ["client_id"] = clientId, ["redirect_uri"] = Callback, ["response_type"] = "code",
            ["scope"] = "openid profile email phone offline_access", ["state"] = "st-123", ["nonce"] = "n-456",
            ["code_challenge"] = challenge, ["code_challenge_method"] = challenge is null ? null : "S256",
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>()) p[k] = v;
        return QueryHelpers.AddQueryString("/connect/authorize", p.Where(kv => kv.Value is not null)!);
    }

    /// <summary>
    /// Follows the browser's redirects from <paramref name="url"/>, logging in with the password page when sent to
    /// /login, until it is sent to the client's redirect URI (returned) or a page answers (returned as the failure).
    /// </summary>
    public async Task<FlowResult> FollowAsync(HttpClient browser, string url, bool login = true, string password = Password)
    {
        var visited = new List<string>();
        var current = url;
        for (var hop = 0; hop < 12; hop++)
        {
            if (current.StartsWith("http://127.0.0.1:9/")) return new FlowResult(new Uri(current), null, 0, visited);
            var response = await browser.GetAsync(current);
            visited.Add($"{response.StatusCode} {current}");
            if ((int)response.StatusCode is < 300 or >= 400)
                return new FlowResult(null, await response.Content.ReadAsStringAsync(), (int)response.StatusCode, visited);
            var location = response.Headers.Location!;
            var next = location.IsAbsoluteUri ? location : new Uri(Server.BaseAddress, location);
            if (next.AbsolutePath == "/login" && login)
            {
                visited.Add("LOGIN");
                current = await LoginAsync(browser, "/login/password" + next.Query, Email, password);
                continue;
            }
            current = next.IsLoopback && next.Port == Server.BaseAddress.Port ? next.PathAndQuery : next.ToString();
        }
        throw new InvalidOperationException("Too many redirects: " + string.Join(" > ", visited));
    }

    public static async Task<string> LoginAsync(HttpClient browser, string pageUrl, string email, string password)
    {
        var html = await browser.GetStringAsync(pageUrl);
        var token = AntiforgeryToken.In(html);
        var returnUrl = QueryHelpers.ParseQuery(new Uri("http://x" + pageUrl).Query)["returnUrl"].ToString();
        var response = await browser.PostAsync(pageUrl, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = email, ["Password"] = password, ["ReturnUrl"] = returnUrl, ["__RequestVerificationToken"] = token,
        }));
        if (response.StatusCode != HttpStatusCode.OK || !response.Headers.TryGetValues("Refresh", out var refresh))
            throw new InvalidOperationException($"password login answered {(int)response.StatusCode}");
        return refresh.Single()["0;url=".Length..];
    }

    public async Task<(int Status, JsonElement Body, HttpResponseMessage Response)> TokenAsync(Dictionary<string, string> form, string? clientId = null, string? secret = null)
    {
        using var http = Server.CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token") { Content = new FormUrlEncodedContent(form) };
        if (clientId is not null && secret is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(clientId)}:{Uri.EscapeDataString(secret)}")));
        var response = await http.SendAsync(request);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        return ((int)response.StatusCode, body, response);
    }

    /// <summary>Logs in and gets a code for <paramref name="clientId"/> with PKCE; returns the code and verifier.</summary>
    public async Task<(string Code, string Verifier)> CodeAsync(string clientId, HttpClient? browser = null)
    {
        var (verifier, challenge) = NewPkce();
        var result = await FollowAsync(browser ?? Browser(), AuthorizeUrl(clientId, challenge: challenge));
        var code = result.Query("code") ?? throw new InvalidOperationException("no code: " + result);
        return (code, verifier);
    }

    public Dictionary<string, string> CodeForm(string code, string verifier) => new()
    {
        ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = Callback, ["code_verifier"] = verifier,
    };

    /// <summary>
    /// openid-client's whole flow (tests/rp/flow.mjs) for a client of this host, signing in through the password page
    /// as the seeded user; fails the test when the login failed. Returns the script's report.
    /// </summary>
    public async Task<JsonElement> RunPasswordFlowAsync(string clientId, string? secret, string scope)
    {
        var r = await RunNodeAsync("flow.mjs", new
        {
            issuer = Issuer, clientId, clientSecret = secret, redirectUri = Callback,
            postLogoutRedirectUri = "http://127.0.0.1:9/bye", email = Email, password = Password, scope,
        });
        var login = r.GetProperty("login");
        Assert.False(login.TryGetProperty("failed", out _), login.ToString());
        return r;
    }

    /// <summary>Runs a node script of tests/rp with one JSON argument and parses the JSON it prints.</summary>
    public static async Task<JsonElement> RunNodeAsync(string script, object argument)
    {
        var (exitCode, output, error) = await RunNodeRawAsync(script, argument);
        Assert.True(exitCode == 0, $"node {script} exited {exitCode}: {error}\n{output}");
        return JsonDocument.Parse(output).RootElement.Clone();
    }

    /// <summary>
    /// Runs an ok/FAIL script of tests/rp (tests/rp/checks.mjs) and requires an ok line for each of
    /// <paramref name="expected"/> (so a dropped check fails too), no FAIL line and exit code 0.
    /// </summary>
    public static async Task RunChecksAsync(string script, object argument, IEnumerable<string> expected)
    {
        var (exitCode, output, error) = await RunNodeRawAsync(script, argument);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var check in expected)
            Assert.True(lines.Any(l => l.StartsWith($"ok   - {check}:")), $"check '{check}' did not pass:\n{output}\n{error}");
        Assert.DoesNotContain(lines, l => l.StartsWith("FAIL"));
        Assert.Equal(0, exitCode);
    }

    /// <summary>Runs a node script of tests/rp with one JSON argument; returns its exit code, stdout and stderr.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunNodeRawAsync(string script, object argument)
    {
        var psi = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.Combine(RepoPaths.Root, "tests", "rp") };
        psi.ArgumentList.Add(script);
        psi.ArgumentList.Add(JsonSerializer.Serialize(argument));
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }


    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await _db.DisposeAsync();
    }
}

public sealed record FlowResult(Uri? Callback, string? Page, int Status, IReadOnlyList<string> Visited)
{
    public string? Query(string name) =>
        Callback is null ? null : QueryHelpers.ParseQuery(Callback.Query).TryGetValue(name, out var v) ? v.ToString() : null;

    public override string ToString() => $"{Callback} {Status} {string.Join(" > ", Visited)} {Page?[..Math.Min(Page.Length, 400)]}";
}
