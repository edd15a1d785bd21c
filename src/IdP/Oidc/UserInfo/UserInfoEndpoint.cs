using Microsoft.AspNetCore.Identity;
using WaIdentity.IdP.Users;

namespace WaIdentity.IdP.Oidc.UserInfo;

/// <summary>
/// GET/POST /connect/userinfo (OIDC Core 5.3): the user's claims for the scopes the access token carries, and only
/// those. Errors per RFC 6750 3 in WWW-Authenticate.
/// </summary>
public sealed class UserInfoEndpoint(AccessTokenReader reader, UserManager<IdpUser> users, IssuerResolver issuers)
{
    public async Task<IResult> HandleAsync(HttpContext http)
    {
        http.Response.Headers.CacheControl = "no-store";
        var token = await AccessTokenReader.BearerAsync(http.Request);
        if (token is null) return Challenge(http, null, 401);
        var jwt = await reader.ReadAsync(token, issuers.Resolve(http), http.RequestAborted);
        if (jwt is null) return Challenge(http, "invalid_token", 401);
        var scopes = jwt.TryGetPayloadValue<string>("scope", out var s) ? s.Split(' ') : [];
        if (!scopes.Contains(OidcConstants.ScopeOpenId)) return Challenge(http, "insufficient_scope", 403);
        var user = await users.FindByIdAsync(jwt.Subject);
        if (user is null) return Challenge(http, "invalid_token", 401);
        return Results.Json(Claims(user, scopes));
    }

    public static Dictionary<string, object?> Claims(IdpUser user, IReadOnlyCollection<string> scopes)
    {
        var claims = new Dictionary<string, object?> { ["sub"] = user.Id };
        if (scopes.Contains(OidcConstants.ScopeProfile))
        {
            claims["name"] = user.DisplayName ?? user.UserName;
            claims["preferred_username"] = user.UserName;
        }
        if (scopes.Contains(OidcConstants.ScopeEmail) && user.Email is not null)
        {
            claims["email"] = user.Email;
            claims["email_verified"] = user.EmailConfirmed;
        }
        if (scopes.Contains(OidcConstants.ScopePhone) && user.PhoneNumber is not null)
        {
            claims["phone_number"] = user.PhoneNumber;
            claims["phone_number_verified"] = user.PhoneNumberConfirmed;
        }
        return claims;
    }

    private static IResult Challenge(HttpContext http, string? error, int status)
    {
        http.Response.Headers.WWWAuthenticate = error is null ? "Bearer realm=\"WaIdentity\"" : $"Bearer realm=\"WaIdentity\", error=\"{error}\"";
        return Results.StatusCode(status);
    }
}
