using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;

namespace WaIdentity.IdP.Hosting;

/// <summary>
/// Bodies for error statuses that have none (404 of an unknown or disabled page, 405, ...): a browser (Accept:
/// text/html) gets the localized error page with a way back, rendered by re-running the pipeline on /Error as GET
/// with the status kept; every other client (APIs, fetch, scripts) gets application/problem+json as before.
/// </summary>
internal static class StatusCodeResponses
{
    public const string ErrorPagePath = "/Error";

    public static IApplicationBuilder UseIdpStatusCodePages(this IApplicationBuilder app) => app.UseStatusCodePages(async context =>
    {
        var http = context.HttpContext;
        if (WantsHtml(http.Request)) await RenderPageAsync(context);
        // A client that accepts neither HTML nor JSON (an EventSource asks for text/event-stream) gets the bare status.
        else await http.RequestServices.GetRequiredService<IProblemDetailsService>().TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http, ProblemDetails = { Status = http.Response.StatusCode },
        });
    });

    /// <summary>What a browser's navigation sends; fetch and API clients ask for JSON or anything (*/*).</summary>
    public static bool WantsHtml(HttpRequest request) =>
        request.Headers.Accept.Any(a => a?.Contains("text/html", StringComparison.OrdinalIgnoreCase) == true);

    private static async Task RenderPageAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        var (path, query, method) = (http.Request.Path, http.Request.QueryString, http.Request.Method);
        var routeValues = http.Features.Get<IRouteValuesFeature>();
        http.Features.Set<IStatusCodeReExecuteFeature>(new ReExecuted
        {
            OriginalPath = path.Value!, OriginalPathBase = http.Request.PathBase.Value!, OriginalQueryString = query.HasValue ? query.Value : null,
            OriginalStatusCode = http.Response.StatusCode, Endpoint = http.GetEndpoint(), RouteValues = routeValues?.RouteValues,
        });
        // Routing runs again for the error page: forget this request's endpoint and route values.
        http.SetEndpoint(null);
        routeValues?.RouteValues.Clear();
        http.Request.Path = ErrorPagePath;
        http.Request.QueryString = QueryString.Empty;
        http.Request.Method = HttpMethods.Get;
        try
        {
            await context.Next(http);
        }
        finally
        {
            (http.Request.Path, http.Request.QueryString, http.Request.Method) = (path, query, method);
            http.Features.Set<IStatusCodeReExecuteFeature>(null);
        }
    }

    private sealed class ReExecuted : IStatusCodeReExecuteFeature
    {
        public string OriginalPathBase { get; set; } = "";
        public string OriginalPath { get; set; } = "";
        public string? OriginalQueryString { get; set; }
        public int OriginalStatusCode { get; init; }
        public Endpoint? Endpoint { get; init; }
        public RouteValueDictionary? RouteValues { get; init; }
    }
}
