namespace WaIdentity.IdP.Oidc;

/// <summary>Protocol names used across the endpoints, so a typo cannot hide in one of them.</summary>
internal static class OidcConstants
{
    public const string ES256 = "ES256";
    public const string RS256 = "RS256";

    public const string GrantAuthorizationCode = "authorization_code";
    public const string GrantRefreshToken = "refresh_token";
    public const string GrantClientCredentials = "client_credentials";
    /// <summary>The device authorization grant (RFC 8628 3.4).</summary>
    public const string GrantDeviceCode = "urn:ietf:params:oauth:grant-type:device_code";
    public static readonly string[] GrantTypes = [GrantAuthorizationCode, GrantRefreshToken, GrantClientCredentials, GrantDeviceCode];

    public const string ScopeOpenId = "openid";
    public const string ScopeProfile = "profile";
    public const string ScopeEmail = "email";
    public const string ScopePhone = "phone";
    public const string ScopeOfflineAccess = "offline_access";
    /// <summary>Scopes about the user; every other scope a client holds is an API scope (client_credentials).</summary>
    public static readonly string[] IdentityScopes = [ScopeOpenId, ScopeProfile, ScopeEmail, ScopePhone, ScopeOfflineAccess];

    public const string AccessTokenType = "at+jwt";
    /// <summary>OIDC Back-Channel Logout 1.0 2.4: the logout token's typ header and its one event.</summary>
    public const string LogoutTokenType = "logout+jwt";
    public const string BackChannelLogoutEvent = "http://schemas.openid.net/event/backchannel-logout";

    public const string AuthorizePath = "/connect/authorize";
    public const string TokenPath = "/connect/token";
    public const string PushedAuthorizationPath = "/connect/par";
    public const string DeviceAuthorizationPath = "/connect/device";
    /// <summary>The verification page where a user enters a device's user code (RFC 8628 verification_uri).</summary>
    public const string DeviceVerificationPath = "/device";
    public const string UserInfoPath = "/connect/userinfo";
    public const string EndSessionPath = "/connect/endsession";
    public const string RevocationPath = "/connect/revoke";
    public const string IntrospectionPath = "/connect/introspect";
    public const string JwksPath = "/.well-known/jwks.json";
    public const string DiscoveryPath = "/.well-known/openid-configuration";
    public const string ConsentPath = "/connect/consent";

    public const string CorsPolicy = "oidc-browser-clients";
}
