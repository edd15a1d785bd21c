using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using WaIdentity.IdP.Hosting;

namespace WaIdentity.Tests.Infrastructure;

/// <summary>
/// The real IdP, built exactly as Program builds it, listening on a free loopback port: tests talk to it over
/// real HTTP, the way a relying party or a browser does.
/// </summary>
public sealed class IdpTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private IdpTestServer(WebApplication app, Uri baseAddress, TestClock clock)
    {
        _app = app;
        BaseAddress = baseAddress;
        Clock = clock;
    }

    public Uri BaseAddress { get; }

    /// <summary>The app's TimeProvider: move it forward instead of sleeping until a lifetime has passed.</summary>
    public TestClock Clock { get; }
    public IServiceProvider Services => _app.Services;

    /// <param name="environment">The host environment; anything but Development needs the keys that are required
    /// outside it (DataProtection:KeyEncryptionKey, Login:Otp:CodeHashKey).</param>
    /// <param name="replaceServices">Test-only replacements after the app's own registrations (e.g. a fault to inject).</param>
    public static async Task<IdpTestServer> StartAsync(
        TestDatabase database, IReadOnlyDictionary<string, string?>? settings = null, string environment = "Development",
        Action<IServiceCollection>? replaceServices = null)
    {
        var merged = new Dictionary<string, string?>(database.Settings);
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>()) merged[k] = v;
        var clock = new TestClock();
        var app = IdpApp.Build(
            ["--urls", "http://127.0.0.1:0", "--environment", environment, "--contentRoot", RepoPaths.IdpProject],
            merged, replaceServices: s =>
            {
                s.AddSingleton<TimeProvider>(clock);
                // PBKDF2 with one iteration instead of Identity's 100,000: the same format and check, without the
                // ~0.1 s of CPU per hash and per sign-in that production pays on purpose (libcrypto was 12% of the
                // test process's CPU). A stored hash names its own count, so verifying stays correct either way.
                s.Configure<PasswordHasherOptions>(o => o.IterationCount = 1);
                replaceServices?.Invoke(s);
            });
        await IdpProgram.PrepareAsync(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new IdpTestServer(app, new Uri(address), clock);
    }

    /// <summary>A client with its own cookie jar. Redirects are not followed, so tests can see each one.</summary>
    public HttpClient CreateClient(CookieContainer? cookies = null) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies ?? new CookieContainer(), UseCookies = true })
        {
            BaseAddress = BaseAddress,
        };

    public async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
