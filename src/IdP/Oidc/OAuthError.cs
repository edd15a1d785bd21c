namespace WaIdentity.IdP.Oidc;

/// <summary>
/// Why an OAuth endpoint (token, introspection, revocation, PAR, device authorization) refused a request: the RFC 6749
/// 5.2 error code, the description for the client's developer, the status (400, 401 for invalid_client, 429 for the
/// per-client limit) and, for the limit, the seconds to wait. <see cref="OAuthErrorResponse"/> writes it.
/// </summary>
internal sealed record OAuthError(string Error, string Description, int Status = StatusCodes.Status400BadRequest, int? RetryAfterSeconds = null)
{
    public static OAuthError InvalidRequest(string description) => new("invalid_request", description);
    public static OAuthError InvalidClient(string description) => new("invalid_client", description, StatusCodes.Status401Unauthorized);
    public static OAuthError InvalidScope(string description) => new("invalid_scope", description);
    public static OAuthError UnauthorizedClient(string description) => new("unauthorized_client", description);

    /// <summary>The client used up its per-minute limit (TokenRateLimiter).</summary>
    public static OAuthError TooManyRequests(string description, int retryAfterSeconds) =>
        new("invalid_request", description, StatusCodes.Status429TooManyRequests, retryAfterSeconds);
}
