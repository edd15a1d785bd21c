using WaIdentity.WaChannel.Codes;

namespace WaIdentity.IdP.Gateway;

/// <summary>
/// The gateway's errors as RFC 9457 problem details. Each has a stable <c>type</c> URI and <c>title</c>, so an app can
/// branch on the type; <c>detail</c> says what to fix.
/// </summary>
internal static class GatewayProblem
{
    public const string TypeBase = "https://waidentity.dev/problems/";

    public static IResult InvalidToken(HttpContext http, string? error = "invalid_token")
    {
        http.Response.Headers.WWWAuthenticate = error is null ? "Bearer realm=\"WaIdentity\"" : $"Bearer realm=\"WaIdentity\", error=\"{error}\"";
        return Write(401, "invalid-token", "Invalid or missing access token", "Send a valid bearer access token from the token endpoint (client_credentials).");
    }

    public static IResult InsufficientScope(HttpContext http, string scope)
    {
        http.Response.Headers.WWWAuthenticate = $"Bearer realm=\"WaIdentity\", error=\"insufficient_scope\", scope=\"{scope}\"";
        return Write(403, "insufficient-scope", "Insufficient scope", $"This call needs the scope '{scope}'.");
    }

    public static IResult RateLimited(HttpContext http, TimeSpan retryAfter, string what)
    {
        http.Response.Headers.RetryAfter = RateLimiting.RetryAfterHeader.Value(retryAfter);
        return Write(429, "rate-limited", "Too many requests", $"The {what} is used up; retry after the Retry-After seconds.");
    }

    /// <summary>The channel's refusal of a message, the one place its reasons become problem details: 429 with Retry-After
    /// for a send limit, 422 otherwise; <c>reason</c> names it ("phone_limit", "invalid_text").</summary>
    public static IResult Refused(HttpContext http, SendRefusal refusal)
    {
        var reason = new Dictionary<string, object?> { ["reason"] = refusal.Code };
        if (refusal.RetryAfter is { } wait)
        {
            http.Response.Headers.RetryAfter = RateLimiting.RetryAfterHeader.Value(wait);
            return Write(429, "rate-limited", "Too many requests", refusal.Message, reason);
        }
        return refusal.Reason is SendRefusalReason.GroupsUnavailable or SendRefusalReason.DeviceUnavailable
            ? Write(422, "groups-unavailable", "Group messages are not available", refusal.Message, reason)
            : Write(422, "message-refused", "The channel refused the message", refusal.Message, reason);
    }

    public static IResult Invalid(string detail, IDictionary<string, string[]>? errors = null) =>
        Write(400, "invalid-request", "Invalid request", detail, errors is null ? null : new Dictionary<string, object?> { ["errors"] = errors });

    public static IResult TooLarge(string detail) => Write(413, "too-large", "Content too large", detail);

    public static IResult NotFound(string detail) => Write(404, "not-found", "Not found", detail);

    public static IResult Unprocessable(string kind, string title, string detail) => Write(422, kind, title, detail);

    public static IResult Unavailable(string kind, string title, string detail) => Write(503, kind, title, detail);

    public static IResult Write(int status, string kind, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        Results.Problem(detail: detail, statusCode: status, title: title, type: TypeBase + kind, extensions: extensions);
}
