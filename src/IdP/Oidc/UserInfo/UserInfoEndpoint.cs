using Microsoft.AspNetCore.Identity;
using WaIdentity.IdP.Oidc.Dpop;
using WaIdentity.IdP.Users;

namespace WaIdentity.IdP.Oidc.UserInfo;

/// <summary>
/// GET/POST /connect/userinfo (OIDC Core 5.3): the user's claims for the scopes the access token carries, and only
/// those. Bearer tokens per RFC 6750, DPoP-bound tokens with the DPoP scheme and a proof (RFC 9449 7); errors in
/// WWW-Authenticate, with the DPoP challenge when the failure is about DPoP or the token is bound.
/// </summary>
internal sealed class UserInfoEndpoint(AccessTokenReader reader, DpopResourceRequest dpop, DpopNonces nonces, UserManager<IdpUser> users, IssuerResolver issuers)
{
    public async Task<IResult> HandleAsync(HttpContext http)
    {
        http.Response.Headers.CacheControl = "no-store";
        var ct = http.RequestAborted;
        if (await AccessTokenReader.PresentedAsync(http.Request) is not { } presented) return Challenge(http, TokenScheme.Bearer, null, null, 401);
        var (scheme, token) = presented;
        var issuer = issuers.Resolve(http);
        var jwt = await reader.ReadAsync(token, issuer, ct);
        if (jwt is null) return Challenge(http, scheme, "invalid_token", "The access token is invalid, expired or revoked.", 401);
        if (await dpop.CheckAsync(http.Request, scheme, token, jwt, issuer + OidcConstants.UserInfoPath, ct) is DpopResourceResult.Refused refused)
            return Challenge(http, TokenScheme.Dpop, refused.Error, refused.Description, 401);
        var scopes = jwt.TryGetPayloadValue<string>("scope", out var s) ? s.Split(' ') : [];
        if (!scopes.Contains(OidcConstants.ScopeOpenId)) return Challenge(http, scheme, "insufficient_scope", "The access token lacks the openid scope.", 403);
        var user = await users.FindByIdAsync(jwt.Subject);
        if (user is null) return Challenge(http, scheme, "invalid_token", "The access token's user no longer exists.", 401);
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

    /// <summary>
    /// 401/403 with the challenge of the scheme in use; with no token at all both schemes are offered (RFC 9449 7.1).
    /// use_dpop_nonce comes with a fresh nonce in DPoP-Nonce.
    /// </summary>
    private IResult Challenge(HttpContext http, TokenScheme scheme, string? error, string? description, int status)
    {
        var headers = http.Response.Headers;
        if (scheme == TokenScheme.Dpop) headers.WWWAuthenticate = DpopChallenge.For(error, description);
        else if (error is null) headers.WWWAuthenticate = new(["Bearer realm=\"WaIdentity\"", DpopChallenge.For(null, null)]);
        else headers.WWWAuthenticate = $"Bearer realm=\"WaIdentity\", error=\"{error}\"";
        if (error == DpopNames.UseNonce) headers[DpopNames.NonceHeader] = nonces.Issue();
        return Results.StatusCode(status);
    }
}
