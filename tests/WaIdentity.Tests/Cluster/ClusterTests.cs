using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Npgsql;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.Tests.Login;

namespace WaIdentity.Tests.Cluster;

/// <summary>
/// Two WaIdentity processes on one PostgreSQL server, as a deployment behind a load balancer runs them: whatever one
/// node starts, the other can finish, and scheduled work happens once across both. Starting a node is most of what
/// these tests cost, so the tests that need a working pair and nothing fresh share one (<see cref="Pair"/>).
/// </summary>
public sealed class ClusterTests(ClusterTests.Pair pair) : IClassFixture<ClusterTests.Pair>
{
    private const string Callback = "http://127.0.0.1:9/callback";
    private const string Issuer = "https://id.cluster.test";

    private static Dictionary<string, string?> Settings(TestDatabase db, params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?>(db.Settings)
        {
            ["Oidc:Issuer"] = Issuer,
            ["Oidc:Clients:0:ClientId"] = "shop",
            ["Oidc:Clients:0:Public"] = "true",
            ["Oidc:Clients:0:FirstParty"] = "true",
            ["Oidc:Clients:0:RedirectUris:0"] = Callback,
            ["Oidc:Clients:0:Scopes:0"] = "openid",
            ["Oidc:Clients:0:Scopes:1"] = "phone",
            ["Oidc:Clients:0:GrantTypes:0"] = "authorization_code",
            ["Jobs:ClusterCheckinSeconds"] = "1",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (k, v) in extra) settings[k] = v;
        return settings;
    }

    [Fact]
    public async Task A_login_begun_on_node_A_is_finished_on_node_B_and_its_token_verifies_with_A_keys()
    {
        var (a, b) = (pair.A, pair.B);
        var cookies = new CookieContainer();
        using var onA = Browser(a, cookies);
        using var onB = Browser(b, cookies);
        var phone = "+62812" + Random.Shared.NextInt64(10_000_000, 99_999_999);
        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

        // Node A: the authorize request, the login page, the code sent.
        var authorize = await onA.GetAsync($"/connect/authorize?client_id=shop&response_type=code&scope=openid%20phone&state=s1&nonce=n1" +
            $"&redirect_uri={Uri.EscapeDataString(Callback)}&code_challenge={challenge}&code_challenge_method=S256");
        Assert.True(IsRedirect(authorize), authorize.StatusCode.ToString());
        var loginUrl = authorize.Headers.Location!.OriginalString;
        var returnUrl = QueryHelpers.ParseQuery(new Uri(a.BaseAddress, loginUrl).Query)["returnUrl"].ToString();
        var sent = await LoginForms.PostAsync(onA, loginUrl, "/login", ("Phone", phone), ("ReturnUrl", returnUrl));
        Assert.True(IsRedirect(sent), sent.StatusCode.ToString());
        var code = await Eventually.ValueAsync(() => InboxCodeAsync(onB, phone), c => c is not null, TimeSpan.FromSeconds(20));

        // Node B: the code checked, the authorization resumed, the token issued.
        var verified = await LoginForms.PostAsync(onB, "/login/code", "/login/code", ("Code", code!));
        Assert.True(verified.Headers.TryGetValues("Refresh", out var refresh), await verified.Content.ReadAsStringAsync());
        var resume = await onB.GetAsync(refresh.Single()["0;url=".Length..]);
        Assert.True(IsRedirect(resume), resume.StatusCode.ToString());
        var callback = QueryHelpers.ParseQuery(resume.Headers.Location!.Query);
        Assert.Equal("s1", callback["state"]);
        var token = await onB.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = callback["code"]!, ["redirect_uri"] = Callback,
            ["client_id"] = "shop", ["code_verifier"] = verifier,
        }));
        Assert.True(token.IsSuccessStatusCode, await token.Content.ReadAsStringAsync());
        var idToken = (await token.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id_token").GetString()!;

        // Node A's JWKS verifies what node B signed.
        var jwks = new JsonWebKeySet(await onA.GetStringAsync("/.well-known/jwks.json"));
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(idToken, new TokenValidationParameters
        {
            ValidIssuer = Issuer, ValidAudience = "shop", IssuerSigningKeys = jwks.GetSigningKeys(),
        });
        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Contains("otp", ((JsonWebToken)result.SecurityToken).Claims.Where(c => c.Type == "amr").Select(c => c.Value));
        Assert.Equal("n1", ((JsonWebToken)result.SecurityToken).GetClaim("nonce").Value);
    }

    [Fact]
    public async Task A_client_assertion_used_on_node_A_is_refused_on_node_B_and_a_request_uri_pushed_on_A_works_once_on_B()
    {
        var (a, b, key) = (pair.A, pair.B, pair.MachineKey);
        using var onA = Browser(a, new CookieContainer());
        using var onB = Browser(b, new CookieContainer());
        var assertion = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "machine", Audience = Issuer, Expires = DateTime.UtcNow.AddMinutes(1),
            Claims = new Dictionary<string, object> { ["sub"] = "machine", ["jti"] = Guid.NewGuid().ToString() },
            SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(key) { KeyId = "m1" }, SecurityAlgorithms.EcdsaSha256),
        });
        FormUrlEncodedContent Form(params (string, string)[] fields) => new(fields.Select(f => KeyValuePair.Create(f.Item1, f.Item2))
            .Append(KeyValuePair.Create("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"))
            .Append(KeyValuePair.Create("client_assertion", assertion)));

        var first = await onA.PostAsync("/connect/token", Form(("grant_type", "client_credentials")));
        Assert.True(first.IsSuccessStatusCode, await first.Content.ReadAsStringAsync());
        var replay = await onB.PostAsync("/connect/token", Form(("grant_type", "client_credentials")));
        Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
        Assert.Equal("invalid_client", (await replay.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());

        var pushed = await onA.PostAsync("/connect/par", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = "shop", ["response_type"] = "code", ["scope"] = "openid", ["redirect_uri"] = Callback,
            ["code_challenge"] = Base64UrlEncoder.Encode(SHA256.HashData(RandomNumberGenerator.GetBytes(32))), ["code_challenge_method"] = "S256",
        }));
        Assert.Equal(HttpStatusCode.Created, pushed.StatusCode);
        var requestUri = (await pushed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("request_uri").GetString()!;
        var authorize = $"/connect/authorize?client_id=shop&request_uri={Uri.EscapeDataString(requestUri)}";
        var onNodeB = await onB.GetAsync(authorize);
        Assert.True(IsRedirect(onNodeB) && onNodeB.Headers.Location!.OriginalString.StartsWith("/login"), onNodeB.StatusCode.ToString());
        Assert.Equal(HttpStatusCode.BadRequest, (await onA.GetAsync(authorize)).StatusCode);
    }

    [Fact]
    public async Task A_job_scheduled_on_both_nodes_runs_once_per_turn()
    {
        // The pair runs the probe every second with no hold, from its start: every turn so far is in JobRuns.
        var before = (await ProbeRunsAsync(pair.Db)).Count;
        var runs = await Eventually.ValueAsync(() => ProbeRunsAsync(pair.Db), r => r.Count >= before + 8, TimeSpan.FromSeconds(40));

        var duplicates = runs.GroupBy(r => r.ScheduledFor).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(duplicates.Count == 0, "run twice: " + string.Join(", ", duplicates));
        Assert.All(runs, r => Assert.False(r.Recovering));
    }

    [Fact]
    public async Task A_job_held_by_a_node_that_dies_is_finished_by_the_other()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.PostgreSQL);
        // One long run at a time (DisallowConcurrentExecution), every hour: only the run A holds can finish in time.
        var settings = Settings(db, ("Jobs:ProbeIntervalSeconds", "3600"), ("Jobs:ProbeHoldSeconds", "4"));
        await using var a = await IdpNode.StartAsync(Settings(db, ("Jobs:ProbeIntervalSeconds", "3"), ("Jobs:ProbeHoldSeconds", "30")));
        var held = await Eventually.ValueAsync(() => ProbeRunsAsync(db), r => r.Count >= 1, TimeSpan.FromSeconds(30));
        // Killed while it holds its first run, before B starts: on a busy machine B's start can take longer than A's
        // 30-second hold, and A must not get to finish anything.
        a.Kill();
        await using var b = await IdpNode.StartAsync(settings);

        var recovered = await Eventually.ValueAsync(() => ProbeRunsAsync(db),
            r => r.Any(x => x.Recovering && x.Finished && x.NodeId != held[0].NodeId), TimeSpan.FromSeconds(60));

        Assert.False(held[0].Finished);
        Assert.DoesNotContain(recovered, x => x.NodeId == held[0].NodeId && x.Finished);
    }

    [Fact]
    public async Task A_send_limit_counted_on_node_A_holds_on_node_B()
    {
        var (a, b) = (pair.A, pair.B);
        var phone = "+62812" + Random.Shared.NextInt64(10_000_000, 99_999_999);

        foreach (var _ in Enumerable.Range(0, 2))
        {
            using var browserOnA = Browser(a, new CookieContainer());
            Assert.True(IsRedirect(await LoginForms.PostAsync(browserOnA, "/login", "/login", ("Phone", phone))));
        }
        using var browserOnB = Browser(b, new CookieContainer());
        var third = await LoginForms.PostAsync(browserOnB, "/login", "/login", ("Phone", phone));
        await Eventually.ValueAsync(() => WhatsAppMessagesAsync(browserOnB, phone), n => n >= 2, TimeSpan.FromSeconds(20));

        // The third login was refused when it was asked for, so no third send can still be on its way. WhatsApp
        // messages, not all: on a loaded machine a slow WhatsApp send lets its code go by SMS as well (the login-code
        // budget), which is that send's fallback, not a third send. (A second send to a phone repeats the live code.)
        Assert.False(IsRedirect(third));
        Assert.Equal(2, await WhatsAppMessagesAsync(browserOnB, phone));
    }

    /// <summary>
    /// Two nodes on one database for the tests that need a working pair and nothing fresh; the test of a node that
    /// dies starts its own. The settings are the union of what those tests need: a per-phone limit of 2 without a
    /// resend cooldown (each test uses phones of its own), a machine client signing with <see cref="MachineKey"/>,
    /// and the probe job every second.
    /// </summary>
    public sealed class Pair : IAsyncLifetime
    {
        public TestDatabase Db { get; private set; } = null!;
        public IdpNode A { get; private set; } = null!;
        public IdpNode B { get; private set; } = null!;
        public ECDsa MachineKey { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        public async Task InitializeAsync()
        {
            Db = await TestDatabase.CreateAsync(DatabaseProvider.PostgreSQL);
            var p = MachineKey.ExportParameters(false);
            var jwks = JsonSerializer.Serialize(new { keys = new[] { new { kty = "EC", crv = "P-256", kid = "m1",
                x = Base64UrlEncoder.Encode(p.Q.X!), y = Base64UrlEncoder.Encode(p.Q.Y!) } } });
            var settings = Settings(Db, ("Oidc:Clients:1:ClientId", "machine"), ("Oidc:Clients:1:Jwks", jwks),
                ("Oidc:Clients:1:RedirectUris:0", Callback), ("Oidc:Clients:1:GrantTypes:0", "client_credentials"),
                ("Oidc:Clients:1:GrantTypes:1", "authorization_code"), ("Oidc:Clients:1:Scopes:0", "openid"), ("Oidc:Clients:1:Scopes:1", "inventory.read"),
                ("Channel:Limits:PerPhonePerHour", "2"), ("Login:Otp:ResendCooldownSeconds", "0"),
                ("Jobs:ProbeIntervalSeconds", "1"), ("Jobs:ProbeHoldSeconds", "0"));
            A = await IdpNode.StartAsync(settings);
            B = await IdpNode.StartAsync(settings);
        }

        public async Task DisposeAsync()
        {
            if (B is not null) await B.DisposeAsync();
            if (A is not null) await A.DisposeAsync();
            if (Db is not null) await Db.DisposeAsync();
            MachineKey.Dispose();
        }
    }

    private static bool IsRedirect(HttpResponseMessage response) => (int)response.StatusCode is >= 300 and < 400;

    private static HttpClient Browser(IdpNode node, CookieContainer cookies) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies }) { BaseAddress = node.BaseAddress };

    private static async Task<string?> InboxCodeAsync(HttpClient client, string phone)
    {
        var items = await client.GetFromJsonAsync<JsonElement>($"/dev/inbox/api/messages?to={Uri.EscapeDataString(phone)}");
        return items.EnumerateArray().Select(i => i.GetProperty("code").GetString()).FirstOrDefault(c => c is not null);
    }

    /// <summary>The WhatsApp messages the dev inbox holds for <paramref name="phone"/> (an SMS fallback of one is not counted).</summary>
    private static async Task<int> WhatsAppMessagesAsync(HttpClient client, string phone) =>
        (await client.GetFromJsonAsync<JsonElement>($"/dev/inbox/api/messages?to={Uri.EscapeDataString(phone)}")).EnumerateArray()
            .Count(m => m.GetProperty("channel").GetString() == "whatsapp");

    private sealed record ProbeRun(string NodeId, DateTime ScheduledFor, bool Recovering, bool Finished);

    private static async Task<List<ProbeRun>> ProbeRunsAsync(TestDatabase db)
    {
        await using var connection = new NpgsqlConnection(db.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT \"NodeId\", \"ScheduledFor\", \"Recovering\", \"FinishedAt\" IS NOT NULL FROM \"JobRuns\" WHERE \"JobName\" = 'cluster-probe' ORDER BY \"Id\"", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var runs = new List<ProbeRun>();
        while (await reader.ReadAsync())
            runs.Add(new ProbeRun(reader.GetString(0), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)).UtcDateTime, reader.GetBoolean(2), reader.GetBoolean(3)));
        return runs;
    }
}
