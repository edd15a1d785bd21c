using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Identity;
using WaIdentity.IdP.Users;
using WaIdentity.Tests.Gateway;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Infrastructure;

namespace WaIdentity.Tests.Login;

/// <summary>
/// The one password check behind /login/password and POST /api/auth/login, attacked from outside: every branch does the
/// same hash work (no timing oracle for which e-mails have accounts or are locked), one client address runs out of
/// tries (429 with Retry-After on the page and the API), and a stranger's guesses never lock the owner out.
/// </summary>
public sealed class PasswordPathTests
{
    private const string Right = "right-password";

    /// <summary>Counts password hash verifications: the expensive step whose absence made the answer fast.</summary>
    private sealed class CountingHasher : IPasswordHasher<IdpUser>
    {
        private readonly PasswordHasher<IdpUser> _inner = new();
        private int _verifications;
        public int Verifications => Volatile.Read(ref _verifications);
        public string HashPassword(IdpUser user, string password) => _inner.HashPassword(user, password);
        public PasswordVerificationResult VerifyHashedPassword(IdpUser user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref _verifications);
            return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }

    private static Task<IdpTestServer> StartAsync(TestDatabase db, Action<IServiceCollection>? replace = null, params (string Key, string? Value)[] settings) =>
        IdpTestServer.StartAsync(db, new Dictionary<string, string?>(settings.Select(s => KeyValuePair.Create(s.Key, s.Value)))
        {
            ["Hosting:TrustedProxies:0"] = "127.0.0.1", // the test talks to Kestrel on loopback: X-Forwarded-For names the client
        }, replaceServices: replace);

    private static Task CreateUserAsync(IdpTestServer server, string email, string? password, bool locked = false, string? phone = null) =>
        server.InScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<UserManager<IdpUser>>();
            var user = new IdpUser { UserName = email, Email = email, LockoutEnabled = true, PhoneNumber = phone, PhoneNumberConfirmed = phone is not null };
            var created = password is null ? await users.CreateAsync(user) : await users.CreateAsync(user, password);
            Assert.True(created.Succeeded);
            if (locked) await users.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue); // the portal's "lock"
            return true;
        });

    private static HttpClient Browser(IdpTestServer server, string clientIp)
    {
        var client = server.CreateClient(new CookieContainer());
        client.DefaultRequestHeaders.Add("X-Forwarded-For", clientIp);
        return client;
    }

    private static Task<HttpResponseMessage> PagePostAsync(HttpClient browser, string email, string password) =>
        LoginForms.PostAsync(browser, "/login/password", "/login/password", ("Email", email), ("Password", password), ("ReturnUrl", "/"));

    private static Task<HttpResponseMessage> ApiPostAsync(HttpClient client, string email, string password) =>
        client.PostAsJsonAsync("/api/auth/login", new { email, password });

    /// <summary>The per-IP window is 15 minutes on the app's clock: start the test at the beginning of one.</summary>
    private static void StartOfWindow(IdpTestServer server)
    {
        var window = TimeSpan.FromMinutes(15).Ticks;
        var now = server.Clock.GetUtcNow().UtcTicks;
        server.Clock.Advance(TimeSpan.FromTicks(window - now % window) + TimeSpan.FromSeconds(1));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Every_branch_of_the_page_and_the_API_verifies_exactly_one_password_hash(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var hasher = new CountingHasher();
        await using var server = await StartAsync(db, s => s.AddSingleton<IPasswordHasher<IdpUser>>(hasher),
            ("Login:Password:FailuresPerIpPer15Minutes", "1000"), ("Login:Password:FailuresBeforeDelay", "2"));
        StartOfWindow(server);
        await CreateUserAsync(server, "siti@example.com", Right);
        await CreateUserAsync(server, "locked@example.com", Right, locked: true);
        await CreateUserAsync(server, "phone-only@example.com", null);
        using var browser = Browser(server, "203.0.113.10");

        async Task<HttpResponseMessage> CountsOneAsync(string what, Func<Task<HttpResponseMessage>> attempt)
        {
            var before = hasher.Verifications;
            var response = await attempt();
            Assert.True(hasher.Verifications - before == 1, $"{what}: {hasher.Verifications - before} hash verifications, expected 1");
            return response;
        }

        foreach (var (via, post) in new (string, Func<string, string, Task<HttpResponseMessage>>)[]
                 { ("page", (e, p) => PagePostAsync(browser, e, p)), ("api", (e, p) => ApiPostAsync(browser, e, p)) })
        {
            var unknown = $"nobody-{via}@example.com";
            await CountsOneAsync($"{via}: unknown e-mail", () => post(unknown, Right));
            await CountsOneAsync($"{via}: account without a password", () => post("phone-only@example.com", Right));
            await CountsOneAsync($"{via}: locked account, right password", () => post("locked@example.com", Right));
            await CountsOneAsync($"{via}: wrong password", () => post("siti@example.com", "wrong-password"));
            var ok = await CountsOneAsync($"{via}: right password", () => post("siti@example.com", Right));
            Assert.True(ok.IsSuccessStatusCode, $"{via}: right password answered {(int)ok.StatusCode}");

            // A second failure for the unknown e-mail from this address makes the next try wait.
            await CountsOneAsync($"{via}: unknown e-mail again", () => post(unknown, Right));
            var throttled = await CountsOneAsync($"{via}: throttled", () => post(unknown, Right));
            Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        }
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task One_address_runs_out_of_tries_on_the_page_and_the_API_while_the_owner_signs_in_from_another(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var server = await StartAsync(db, null, ("Login:Password:FailuresPerIpPer15Minutes", "3"));
        StartOfWindow(server);
        await CreateUserAsync(server, "ana@example.com", Right);
        using var attacker = Browser(server, "203.0.113.66");

        for (var i = 0; i < 2; i++) Assert.Equal(HttpStatusCode.OK, (await PagePostAsync(attacker, "ana@example.com", "guess" + i)).StatusCode);
        // The page and the API share the allowance: the third failure comes through the API.
        Assert.Equal(HttpStatusCode.Unauthorized, (await ApiPostAsync(attacker, "other@example.com", "guess")).StatusCode);

        var page = await PagePostAsync(attacker, "ana@example.com", Right); // even the right password is refused now
        Assert.Equal(HttpStatusCode.TooManyRequests, page.StatusCode);
        Assert.InRange(int.Parse(page.Headers.GetValues("Retry-After").Single()), 1, 900);
        Assert.Contains("Too many sign-in attempts. Try again in", await page.Content.ReadAsStringAsync());
        Assert.DoesNotContain(page.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], c => c.StartsWith("waid.session="));

        var api = await GatewayTestHost.ReadAsync(await ApiPostAsync(attacker, "ana@example.com", Right));
        GatewayTestHost.AssertProblem(api.Response, api.Body, 429, "rate-limited");
        Assert.InRange(int.Parse(api.Response.Headers.GetValues("Retry-After").Single()), 1, 900);

        using var owner = Browser(server, "198.51.100.20");
        var signedIn = await PagePostAsync(owner, "ana@example.com", Right);
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        Assert.Contains(signedIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("waid.session="));
        Assert.Equal(HttpStatusCode.OK, (await ApiPostAsync(owner, "ana@example.com", Right)).StatusCode);

        // Successes are not counted: the owner's address still has its three tries.
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await PagePostAsync(owner, "ana@example.com", "typo" + i)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await PagePostAsync(owner, "ana@example.com", Right)).StatusCode);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Strangers_guessing_from_many_addresses_never_lock_the_owner_out_of_the_second_factor(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var server = await StartAsync(db, null, ("Login:SecondFactor:Required", "Required"));
        StartOfWindow(server);
        await CreateUserAsync(server, "admin@example.com", Right, phone: "+6281234567001");

        // Twelve wrong passwords from three addresses: more than any hard lock would allow (Identity's was 10).
        for (var ip = 1; ip <= 3; ip++)
        {
            using var stranger = Browser(server, $"203.0.113.{ip}");
            for (var i = 0; i < 4; i++) Assert.Equal(HttpStatusCode.OK, (await PagePostAsync(stranger, "admin@example.com", $"guess{ip}-{i}")).StatusCode);
        }

        // The owner's password still leads on to the second factor.
        using var owner = Browser(server, "198.51.100.20");
        var response = await PagePostAsync(owner, "admin@example.com", Right);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/login/second-factor", response.Headers.Location!.OriginalString);
        var page = await owner.GetStringAsync(response.Headers.Location);
        Assert.DoesNotContain("This account is locked", page);
        Assert.False(await server.InScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<UserManager<IdpUser>>();
            return await users.IsLockedOutAsync((await users.FindByEmailAsync("admin@example.com"))!);
        }));
    }
}
