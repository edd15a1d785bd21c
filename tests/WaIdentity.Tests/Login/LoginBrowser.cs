using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace WaIdentity.Tests.Login;

/// <summary>
/// One headless Debian Chromium for every browser test of the run, launched by the first class that needs it; each
/// test opens its own context (own cookies). Classes run in parallel: a browser per class would start a Chromium
/// each time, one collection for all of them made every browser test wait for the one before. The contexts a class
/// opened close when the class ends: left open, every page of the run stayed alive with its timers (a side-by-side
/// run counted 480 Chromium processes near its end).
/// </summary>
public sealed class LoginBrowser : IAsyncLifetime
{
    private static readonly Lazy<Task<IBrowser>> Shared = new(LaunchAsync);
    private readonly ConcurrentBag<IBrowserContext> _contexts = [];

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync() => Browser = await Shared.Value;

    /// <summary>Closes the class's contexts; the shared Chromium outlives each class and closes when the test process ends.</summary>
    public async Task DisposeAsync()
    {
        foreach (var context in _contexts) await context.CloseAsync();
    }

    public async Task<IPage> NewPageAsync(string locale = "en-US") =>
        await (await NewContextAsync(new BrowserNewContextOptions { Locale = locale })).NewPageAsync();

    /// <summary>A context of its own (cookies, locale, viewport), closed with the class.</summary>
    public async Task<IBrowserContext> NewContextAsync(BrowserNewContextOptions options)
    {
        var context = await Browser.NewContextAsync(options);
        _contexts.Add(context);
        // Waits are on state; these are only the caps, generous because a busy CI machine can be many times slower.
        context.SetDefaultTimeout(60_000);
        return context;
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
