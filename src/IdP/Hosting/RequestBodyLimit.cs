using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace WaIdentity.IdP.Hosting;

/// <summary>
/// One body limit for every endpoint (Hosting:MaxRequestBodyBytes, 1 MiB): a declared larger body is answered 413 at
/// once, and a chunked body that grows past it makes the read fail with Kestrel's 413 (mapped by the exception handler),
/// instead of the server reading 30 MB and answering 500.
/// </summary>
internal sealed class RequestBodyLimit(RequestDelegate next, IOptions<HostingOptions> options)
{
    public Task InvokeAsync(HttpContext context)
    {
        var limit = options.Value.MaxRequestBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            context.Response.Headers.Connection = "close";
            return Task.CompletedTask; // the status code pages write the body (problem+json, or the page for a browser)
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = limit;
        return next(context);
    }
}
