using Microsoft.Playwright;

namespace WaIdentity.Tests.Login;

/// <summary>The pooled browser contexts: what one test leaves in a context never reaches the next test.</summary>
public sealed class LoginBrowserTests(LoginBrowser browser) : BrowserTests(browser)
{
    [Fact]
    public async Task A_reused_context_comes_back_without_the_last_tests_cookies_permissions_or_pages()
    {
        var page = await browser.NewPageAsync();
        var context = page.Context;
        await context.AddCookiesAsync([new Cookie { Name = "waid.session", Value = "x", Url = "http://127.0.0.1:9/" }]);
        const string clipboard = "async () => (await navigator.permissions.query({ name: 'clipboard-read' })).state";
        var before = await page.EvaluateAsync<string>(clipboard);
        await context.GrantPermissionsAsync(["clipboard-read"]);
        Assert.NotEqual(before, await page.EvaluateAsync<string>(clipboard));
        await browser.EndTestAsync();

        var next = await browser.NewPageAsync();
        Assert.Same(context, next.Context);
        Assert.Empty(await next.Context.CookiesAsync());
        Assert.Equal(before, await next.EvaluateAsync<string>(clipboard));
        Assert.True(page.IsClosed || page.Url == "about:blank");
    }

    [Fact]
    public async Task A_context_with_a_fake_clock_is_not_reused_so_later_pages_keep_real_timers()
    {
        var frozen = await browser.NewPageAsync(reusable: false);
        await frozen.Clock.InstallAsync();
        await frozen.Clock.PauseAtAsync(DateTime.UtcNow.AddSeconds(1));
        await browser.EndTestAsync();

        var next = await browser.NewPageAsync();
        Assert.NotSame(frozen.Context, next.Context);
        // A timer fires on a page whose context never had a fake clock (on a frozen one this waits forever).
        Assert.True(await next.EvaluateAsync<bool>("() => new Promise(done => setTimeout(() => done(true), 10))"));
    }
}
