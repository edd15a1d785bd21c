using System.Diagnostics;

namespace WaIdentity.IdP.Metrics;

/// <summary>
/// Counts requests by endpoint and status. The endpoint label is the route pattern, never the raw path, so a
/// scanner requesting random URLs cannot grow the label set without bound.
/// </summary>
public sealed class RequestMetricsMiddleware(RequestDelegate next, MetricsRegistry metrics)
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
            var endpoint = EndpointLabel(context);
            var status = context.Response.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
            metrics.Increment("waidentity_http_requests_total", "HTTP requests by endpoint and status.", 1, ("endpoint", endpoint), ("status", status));
            metrics.Increment("waidentity_http_request_duration_seconds_sum", "Total seconds spent serving requests, by endpoint.",
                Stopwatch.GetElapsedTime(started).TotalSeconds, ("endpoint", endpoint));
        }
    }

    private static string EndpointLabel(HttpContext context) => context.GetEndpoint() switch
    {
        RouteEndpoint route => "/" + route.RoutePattern.RawText?.TrimStart('/'),
        { DisplayName: { } name } => name,
        _ => context.Request.Path.StartsWithSegments("/css") || context.Request.Path.StartsWithSegments("/js") ? "static" : "unmatched",
    };
}
