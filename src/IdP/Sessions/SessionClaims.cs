namespace WaIdentity.IdP.Sessions;

/// <summary>Claim types carried in the IdP session cookie.</summary>
public static class SessionClaims
{
    public const string Scheme = "idp.session";
    public const string Subject = "sub";
    public const string SessionId = "sid";
    public const string Amr = "amr";
    public const string Acr = "acr";
    public const string AuthTime = "auth_time";
}
