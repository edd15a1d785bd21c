using Microsoft.AspNetCore.Mvc.Filters;

namespace WaIdentity.IdP.Hosting;

/// <summary>
/// Every page answers <c>Cache-Control: no-store</c>: pages show personal data, one-time secrets and antiforgery
/// tokens, which no shared cache or back button on a shared computer may keep. The same header value as antiforgery's,
/// so it does not warn about overriding it.
/// </summary>
internal sealed class NoStorePages : IPageFilter
{
    public void OnPageHandlerSelected(PageHandlerSelectedContext context) { }

    public void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
        context.HttpContext.Response.Headers.CacheControl = "no-cache, no-store";
        context.HttpContext.Response.Headers.Pragma = "no-cache";
    }

    public void OnPageHandlerExecuted(PageHandlerExecutedContext context) { }
}
