namespace WaIdentity.IdP.Oidc.Grants;

/// <summary>
/// An RFC 6749 5.2 error response: JSON with error and error_description, status 400, or 401 with
/// WWW-Authenticate for invalid_client. Never cached.
/// </summary>
internal sealed class TokenError(string error, string description, int status = StatusCodes.Status400BadRequest) : Exception(description)
{
    public string Error { get; } = error;
    public int Status { get; } = status;

    public static TokenError InvalidRequest(string d) => new("invalid_request", d);
    public static TokenError InvalidGrant(string d) => new("invalid_grant", d);
    public static TokenError InvalidScope(string d) => new("invalid_scope", d);
    public static TokenError UnauthorizedClient(string d) => new("unauthorized_client", d);
    public static TokenError InvalidClient(string d) => new("invalid_client", d, StatusCodes.Status401Unauthorized);

    public IResult ToResult(HttpContext http)
    {
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.Pragma = "no-cache";
        if (Status == StatusCodes.Status401Unauthorized) http.Response.Headers.WWWAuthenticate = "Basic realm=\"WaIdentity\", charset=\"UTF-8\"";
        return Results.Json(new Dictionary<string, string> { ["error"] = Error, ["error_description"] = Message }, statusCode: Status);
    }
}
