namespace WaIdentity.IdP.Oidc.Grants;

/// <summary>
/// A successful token response (RFC 6749 5.1), with the OIDC id_token when one is issued; token_type DPoP when the
/// access token is bound to a DPoP key (RFC 9449 5).
/// </summary>
internal static class TokenResponse
{
    public static IResult Write(HttpContext http, string accessToken, int expiresIn, string scope, string? idToken, string? refreshToken, bool dpopBound = false)
    {
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.Pragma = "no-cache";
        var body = new Dictionary<string, object>
        {
            ["access_token"] = accessToken, ["token_type"] = dpopBound ? "DPoP" : "Bearer", ["expires_in"] = expiresIn, ["scope"] = scope,
        };
        if (idToken is not null) body["id_token"] = idToken;
        if (refreshToken is not null) body["refresh_token"] = refreshToken;
        return Results.Json(body);
    }
}
