using System.Diagnostics;
using WaIdentity.IdP.Metrics;
using WaIdentity.IdP.Oidc.Dpop;

namespace WaIdentity.IdP.Oidc.Grants;

/// <summary>
/// POST /connect/token: authenticate the client, apply its per-minute limit (TokenRateLimiter), dispatch on grant_type. Every
/// failure is an RFC 6749 5.2 error; nothing is cached. A DPoP proof (RFC 9449) is checked for every grant, and binds
/// what the grant issues.
/// </summary>
internal sealed class TokenEndpoint(
    ClientAuthenticator authenticator, AuthorizationCodeGrant codeGrant, RefreshTokenGrant refreshGrant, ClientCredentialsGrant credentialsGrant,
    Device.DeviceCodeGrant deviceGrant, TokenRateLimiter limiter, IssuerResolver issuers, DpopTokenRequestProof dpopProofs, IdpMeters metrics)
{
    public async Task<IResult> HandleAsync(HttpContext http)
    {
        var ct = http.RequestAborted;
        var started = Stopwatch.GetTimestamp();
        var grantLabel = "other";
        var outcome = "success";
        try
        {
            var form = await TokenRequestForm.ReadAsync(http.Request, ct);
            if (form.FirstOrDefault(p => p.Value.Count > 1).Key is { } repeated) throw TokenError.InvalidRequest($"The {repeated} parameter is repeated.");
            var client = await authenticator.AuthenticateAsync(http.Request, form, ct);
            if (limiter.Hit(client.ClientId) is var wait and > 0)
            {
                http.Response.Headers.RetryAfter = wait.ToString();
                throw new TokenError("invalid_request", "Too many token requests for this client; retry later.", StatusCodes.Status429TooManyRequests);
            }
            var grantType = form["grant_type"].ToString();
            if (grantType.Length == 0) throw TokenError.InvalidRequest("grant_type is missing.");
            if (!OidcConstants.GrantTypes.Contains(grantType)) throw new TokenError("unsupported_grant_type", $"grant_type '{grantType}' is not supported.");
            grantLabel = grantType;
            if (!client.GrantTypeList.Contains(grantType)) throw TokenError.UnauthorizedClient($"The client may not use the {grantType} grant.");
            var issuer = issuers.Resolve(http);
            var dpop = await dpopProofs.ReadAsync(http, issuer + OidcConstants.TokenPath, client.DpopBoundAccessTokens, ct);
            return grantType switch
            {
                OidcConstants.GrantAuthorizationCode => await codeGrant.HandleAsync(http, form, client, issuer, dpop, ct),
                OidcConstants.GrantRefreshToken => await refreshGrant.HandleAsync(http, form, client, issuer, dpop, ct),
                OidcConstants.GrantDeviceCode => await deviceGrant.HandleAsync(http, form, client, issuer, dpop, ct),
                _ => await credentialsGrant.HandleAsync(http, form, client, issuer, dpop, ct),
            };
        }
        catch (TokenError e)
        {
            outcome = e.Error;
            return e.ToResult(http);
        }
        catch
        {
            outcome = "server_error";
            throw;
        }
        finally
        {
            metrics.TokenRequest(grantLabel, outcome, Stopwatch.GetElapsedTime(started));
        }
    }
}
