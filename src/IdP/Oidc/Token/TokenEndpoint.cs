using Microsoft.Extensions.Options;
using WaIdentity.IdP.RateLimiting;

namespace WaIdentity.IdP.Oidc.Token;

/// <summary>
/// POST /connect/token: authenticate the client, apply its per-minute limit, dispatch on grant_type. Every
/// failure is an RFC 6749 5.2 error; nothing is cached.
/// </summary>
public sealed class TokenEndpoint(
    ClientAuthenticator authenticator, AuthorizationCodeGrant codeGrant, RefreshTokenGrant refreshGrant, ClientCredentialsGrant credentialsGrant,
    BlockReservingLimiter limiter, IssuerResolver issuers, TimeProvider clock, IOptions<OidcOptions> options)
{
    public async Task<IResult> HandleAsync(HttpContext http)
    {
        var ct = http.RequestAborted;
        try
        {
            if (!http.Request.HasFormContentType) throw TokenError.InvalidRequest("The request must be application/x-www-form-urlencoded.");
            var form = await http.Request.ReadFormAsync(ct);
            if (form.FirstOrDefault(p => p.Value.Count > 1).Key is { } repeated) throw TokenError.InvalidRequest($"The {repeated} parameter is repeated.");
            var client = await authenticator.AuthenticateAsync(http.Request, form, ct);
            var limit = await limiter.HitAsync("oidc.token", client.ClientId, options.Value.TokenRequestsPerClientPerMinute, TimeSpan.FromMinutes(1), ct);
            if (!limit.Allowed)
            {
                http.Response.Headers.RetryAfter = ((int)Math.Ceiling(limit.RetryAfter(clock.GetUtcNow()).TotalSeconds)).ToString();
                throw new TokenError("invalid_request", "Too many token requests for this client; retry later.", StatusCodes.Status429TooManyRequests);
            }
            var grantType = form["grant_type"].ToString();
            if (grantType.Length == 0) throw TokenError.InvalidRequest("grant_type is missing.");
            if (!OidcConstants.GrantTypes.Contains(grantType)) throw new TokenError("unsupported_grant_type", $"grant_type '{grantType}' is not supported.");
            if (!client.GrantTypeList.Contains(grantType)) throw TokenError.UnauthorizedClient($"The client may not use the {grantType} grant.");
            var issuer = issuers.Resolve(http);
            return grantType switch
            {
                OidcConstants.GrantAuthorizationCode => await codeGrant.HandleAsync(http, form, client, issuer, ct),
                OidcConstants.GrantRefreshToken => await refreshGrant.HandleAsync(http, form, client, issuer, ct),
                _ => await credentialsGrant.HandleAsync(http, form, client, issuer, ct),
            };
        }
        catch (TokenError e)
        {
            return e.ToResult(http);
        }
    }
}
