using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Playwright;

namespace WaIdentity.Tests.Login;

/// <summary>
/// One headless Debian Chromium for every browser test of the run, launched by the first class that needs it. Each
/// page a test asks for comes from a browser context no other page of that test uses (own cookies), and contexts are
/// reused from test to test: a fresh context's first page cost about 1.1 s of Chromium CPU (a renderer process
/// started, then its first navigation), a page in a reused context about 0.4 s, because the context keeps one page
/// parked on <c>about:blank</c>, which keeps its renderer process alive (docs/testing.md).
/// A context goes back to the pool when the test ends (<see cref="BrowserTests"/> calls <see cref="EndTestAsync"/>):
/// its other pages are closed, its cookies and granted permissions cleared. Pages, with whatever a test attached to
/// them (dialog handlers, init scripts, routes), are never reused. A test that changes its context in a way cleaning
/// cannot undo asks for one that is not reused (<c>reusable: false</c>): a fake clock (<c>page.Clock</c> belongs to
/// the context) froze the timers of every later page in it. Contexts a class still holds close when it ends.
/// </summary>
public sealed class LoginBrowser : IAsyncLifetime
{
    private static readonly Lazy<Task<IBrowser>> Shared = new(LaunchAsync);
    // Idle contexts by the options they were made with; shared by every class (classes run in parallel).
    private static readonly ConcurrentDictionary<string, ConcurrentBag<Lease>> Idle = new();
    // This class's leases; a class runs its tests one at a time, so these are the running test's.
    private readonly ConcurrentBag<Lease> _leased = [];

    private sealed record Lease(IBrowserContext Context, string Key, BrowserNewContextOptions Options, bool Reusable);

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync() => Browser = await Shared.Value;

    /// <summary>Closes the contexts a class still holds (a class whose tests do not end through <see cref="BrowserTests"/>).</summary>
    public async Task DisposeAsync()
    {
        while (_leased.TryTake(out var lease)) await CloseQuietlyAsync(lease.Context);
    }

    public async Task<IPage> NewPageAsync(string locale = "en-US", bool reusable = true) =>
        await (await NewContextAsync(new BrowserNewContextOptions { Locale = locale }, reusable)).NewPageAsync();

    /// <summary>
    /// A context no other page of the running test uses, made with <paramref name="options"/>; with
    /// <paramref name="reusable"/> false it is a new one, closed when the test ends.
    /// </summary>
    public async Task<IBrowserContext> NewContextAsync(BrowserNewContextOptions options, bool reusable = true)
    {
        var key = JsonSerializer.Serialize(options);
        if (!reusable || !Idle.GetOrAdd(key, _ => []).TryTake(out var lease))
        {
            var context = await Browser.NewContextAsync(options);
            // Waits are on state; these are only the caps, generous because a busy CI machine can be many times slower.
            context.SetDefaultTimeout(60_000);
            lease = new Lease(context, key, options, reusable);
        }
        _leased.Add(lease);
        return lease.Context;
    }

    /// <summary>Returns the running test's contexts to the pool, cleaned; a context that cannot be cleaned is closed.</summary>
    public async Task EndTestAsync()
    {
        while (_leased.TryTake(out var lease))
        {
            if (lease.Reusable && await CleanAsync(lease)) Idle[lease.Key].Add(lease);
            else await CloseQuietlyAsync(lease.Context);
        }
    }

    private static async Task<bool> CleanAsync(Lease lease)
    {
        var pages = lease.Context.Pages.ToArray(); // closing a page changes the live list
        // A context the test closed, or one whose pages are all gone (no renderer left to keep), is not worth keeping.
        if (pages.Length == 0) return false;
        try
        {
            foreach (var page in pages.Skip(1)) await page.CloseAsync();
            await pages[0].GotoAsync("about:blank", new() { Timeout = 10_000 });
            await lease.Context.ClearCookiesAsync();
            await lease.Context.ClearPermissionsAsync();
            if (lease.Options.Permissions is { } granted) await lease.Context.GrantPermissionsAsync(granted);
            return true;
        }
        catch (PlaywrightException)
        {
            return false;
        }
    }

    private static async Task CloseQuietlyAsync(IBrowserContext context)
    {
        try { await context.CloseAsync(); }
        catch (PlaywrightException) { /* already closed with the browser */ }
    }

    private static async Task<IBrowser> LaunchAsync()
    {
        Assertions.SetDefaultExpectTimeout(30_000);
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            browser.CloseAsync().Wait(TimeSpan.FromSeconds(10));
            playwright.Dispose();
        };
        return browser;
    }
}
