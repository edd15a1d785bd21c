namespace WaIdentity.IdP.Sessions;

/// <summary>Claim types carried in the IdP session cookie.</summary>
internal static class SessionClaims
{
    public const string Scheme = "idp.session";
    public const string Subject = "sub";
    public const string SessionId = "sid";
    public const string Amr = "amr";
    public const string Acr = "acr";
    /// <summary>When the session was authenticated, in Unix milliseconds: prompt=login compares it with the moment the
    /// login was asked for, and a login within the same second must still count as the newer one.</summary>
    public const string AuthTime = "auth_time_ms";
}
