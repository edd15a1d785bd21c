using System.Globalization;

namespace WaIdentity.IdP.Oidc;

/// <summary>
/// The one place an <see cref="OAuthError"/> becomes the RFC 6749 5.2 answer: JSON with error and error_description,
/// WWW-Authenticate with a 401 (invalid_client), Retry-After with a 429, never cached.
/// </summary>
internal static class OAuthErrorResponse
{
    public static IResult Write(HttpContext http, OAuthError error)
    {
        var headers = http.Response.Headers;
        headers.CacheControl = "no-store";
        headers.Pragma = "no-cache";
        if (error.Status == StatusCodes.Status401Unauthorized) headers.WWWAuthenticate = "Basic realm=\"WaIdentity\", charset=\"UTF-8\"";
        if (error.RetryAfterSeconds is { } wait) headers.RetryAfter = wait.ToString(CultureInfo.InvariantCulture);
        return Results.Json(new Dictionary<string, string> { ["error"] = error.Error, ["error_description"] = error.Description }, statusCode: error.Status);
    }

    /// <summary>The endpoint's own answer, or the error that stopped it.</summary>
    public static IResult Answer(HttpContext http, Check<IResult, OAuthError> answer) => answer.Passed ? answer.Value : Write(http, answer.Error);
}
