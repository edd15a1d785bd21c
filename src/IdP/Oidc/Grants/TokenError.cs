namespace WaIdentity.IdP.Oidc.Grants;

/// <summary>
/// An <see cref="OAuthError"/> thrown inside the token endpoint: its grants stop with it, and TokenEndpoint, the only
/// place that catches it, writes it with <see cref="OAuthErrorResponse"/>. The other OAuth endpoints and the steps they
/// share with the token endpoint return <see cref="OAuthError"/> instead.
/// </summary>
internal sealed class TokenError(OAuthError error) : Exception(error.Description)
{
    public TokenError(string error, string description) : this(new OAuthError(error, description)) { }

    public OAuthError OAuth { get; } = error;

    /// <summary>The value of a shared step (form, client authentication, DPoP proof), or its error thrown.</summary>
    public static T ValueOf<T>(Check<T, OAuthError> step) => step.Passed ? step.Value : throw new TokenError(step.Error);

    public static TokenError InvalidRequest(string d) => new(OAuthError.InvalidRequest(d));
    public static TokenError InvalidGrant(string d) => new("invalid_grant", d);
    public static TokenError InvalidScope(string d) => new(OAuthError.InvalidScope(d));
    public static TokenError UnauthorizedClient(string d) => new(OAuthError.UnauthorizedClient(d));
}
