using WaIdentity.WaChannel.Codes;

namespace WaIdentity.IdP.Gateway;

/// <summary>
/// The gateway's errors as RFC 9457 problem details. Each has a stable <c>type</c> URI and <c>title</c>, so an app can
/// branch on the type; <c>detail</c> says what to fix.
/// </summary>
internal static class GatewayProblem
{
    public const string TypeBase = "https://waidentity.dev/problems/";

    /// <summary>The one place the gateway's own refusals (<see cref="GatewayDenial"/>) become problem details.</summary>
    public static IResult Denied(HttpContext http, GatewayDenial denial) => denial switch
    {
        GatewayDenial.NoToken => InvalidToken(http, error: null),
        GatewayDenial.InvalidToken => InvalidToken(http),
        GatewayDenial.InsufficientScope d => InsufficientScope(http, d.Scope),
        GatewayDenial.AppNotApproved => Write(403, "app-not-approved", "App not approved yet",
            "This app was registered on the developer page and waits for an administrator's approval; it cannot use the API until then."),
        GatewayDenial.RateLimited d => RateLimited(http, d.RetryAfter, d.What),
        GatewayDenial.ForeignOrigin d => Write(403, "origin-not-allowed", "Origin not allowed",
            $"Calls from a browser page need its origin ({d.Origin}) among this client's registered origins."),
        GatewayDenial.NotJson => Results.Problem(statusCode: 415, type: JsonBody.UnsupportedMediaType, title: "Unsupported Media Type", detail: "Send the body as application/json."),
        GatewayDenial.TooLarge d => TooLarge($"The body is larger than {d.MaxBytes} bytes."),
        GatewayDenial.BadBody d => Invalid(d.Detail),
        _ => throw new ArgumentOutOfRangeException(nameof(denial), denial, null),
    };

    private static IResult InvalidToken(HttpContext http, string? error = "invalid_token")
    {
        http.Response.Headers.WWWAuthenticate = error is null ? "Bearer realm=\"WaIdentity\"" : $"Bearer realm=\"WaIdentity\", error=\"{error}\"";
        return Write(401, "invalid-token", "Invalid or missing access token", "Send a valid bearer access token from the token endpoint (client_credentials).");
    }

    private static IResult InsufficientScope(HttpContext http, string scope)
    {
        http.Response.Headers.WWWAuthenticate = $"Bearer realm=\"WaIdentity\", error=\"insufficient_scope\", scope=\"{scope}\"";
        return Write(403, "insufficient-scope", "Insufficient scope", $"This call needs the scope '{scope}'.");
    }

    private static IResult RateLimited(HttpContext http, TimeSpan retryAfter, string what)
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

    private static IResult TooLarge(string detail) => Write(413, "too-large", "Content too large", detail);

    public static IResult NotFound(string detail) => Write(404, "not-found", "Not found", detail);

    public static IResult Unprocessable(string kind, string title, string detail) => Write(422, kind, title, detail);

    public static IResult Unavailable(string kind, string title, string detail) => Write(503, kind, title, detail);

    public static IResult Write(int status, string kind, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        Results.Problem(detail: detail, statusCode: status, title: title, type: TypeBase + kind, extensions: extensions);
}
