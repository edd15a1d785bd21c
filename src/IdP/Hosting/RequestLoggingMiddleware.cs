using System.Diagnostics;

namespace WaIdentity.IdP.Hosting;

/// <summary>
/// One line per request: method, path, status, time. Never the query string or body, where codes, tokens and
/// secrets travel (the framework's own request logging is turned down in appsettings for the same reason).
/// </summary>
internal sealed class RequestLoggingMiddleware(RequestDelegate next, ILogger<RequestLoggingMiddleware> log)
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
            log.LogInformation("{Method} {Path} -> {Status} in {Elapsed:0.0} ms",
                context.Request.Method, context.Request.Path.Value, context.Response.StatusCode,
                Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }
}
