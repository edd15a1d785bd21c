using System.Diagnostics;

namespace WaIdentity.IdP.Metrics;

/// <summary>
/// Counts requests by endpoint and status. The endpoint label is the route pattern, never the raw path, so a
/// scanner requesting random URLs cannot grow the label set without bound.
/// </summary>
internal sealed class RequestMetricsMiddleware(RequestDelegate next, IdpMeters metrics)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            metrics.RequestServed(EndpointLabel(context), context.Response.StatusCode, Stopwatch.GetElapsedTime(started));
        }
    }

    private static string EndpointLabel(HttpContext context) => context.GetEndpoint() switch
    {
        RouteEndpoint route => "/" + route.RoutePattern.RawText?.TrimStart('/'),
        { DisplayName: { } name } => name,
        _ => context.Request.Path.StartsWithSegments("/css") || context.Request.Path.StartsWithSegments("/js") ? "static" : "unmatched",
    };
}
