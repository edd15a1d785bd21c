using Microsoft.Playwright;

namespace WaIdentity.Tests.Infrastructure;

/// <summary>
/// Waits for the browser to arrive at a URL by reading the page's URL until it matches. Playwright's WaitForURL reads
/// the URL, then listens for navigations: a navigation that lands in between is missed and the wait runs out with the
/// browser already there (seen in CI after a login that continues by a Refresh header).
/// </summary>
public static class PageArrival
{
    public static async Task ArrivedAsync(this IPage page, Func<string, bool> match)
    {
        var url = await Eventually.ValueAsync(() => Task.FromResult(page.Url), match, TimeSpan.FromSeconds(20));
        if (match(url)) return;
        var text = await page.Locator("body").InnerTextAsync(new() { Timeout = 5_000 });
        throw new TimeoutException($"The browser did not arrive; it stayed at {url} showing: {text}");
    }

    /// <summary>
    /// Waits until the current document is parsed. Playwright's WaitForLoadState hung in CI with the page already
    /// loaded ("Load" and "NetworkIdle" fired, DOMContentLoaded never reported after a form post), and so did
    /// WaitForURL, which waits for "load" once the URL matches; reading the document's own readyState, retried across
    /// navigations, cannot miss an event. Tests use <see cref="ArrivedAsync(IPage, Func{string, bool})"/> and this
    /// instead of either.
    /// </summary>
    public static Task ParsedAsync(this IPage page) =>
        page.WaitForFunctionAsync("() => document.readyState !== 'loading'");

    /// <summary>Posts a form by clicking <paramref name="button"/> and waits until the page that answers it is parsed.</summary>
    public static async Task SubmitAsync(this IPage page, string button)
    {
        // The page being left carries a mark; the answer is there when a parsed document without it is. Neither the first
        // POST answer (the password page's passkey fetch can come first) nor a load state (it can belong to the page being
        // left, and once hung after the answer had arrived) says so.
        await page.EvaluateAsync("() => { window.__leaving = true; }");
        await page.ClickAsync(button);
        await page.WaitForFunctionAsync("() => !window.__leaving && document.readyState !== 'loading'");
    }

    /// <summary>Arrived at a URL that starts with <paramref name="prefix"/> (a callback with its query).</summary>
    public static Task ArrivedAsync(this IPage page, string prefix) => page.ArrivedAsync(u => u.StartsWith(prefix, StringComparison.Ordinal));
}
