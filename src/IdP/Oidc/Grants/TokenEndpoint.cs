using System.Diagnostics;
using WaIdentity.IdP.Metrics;
using WaIdentity.IdP.Oidc.Dpop;

namespace WaIdentity.IdP.Oidc.Grants;

/// <summary>
/// POST /connect/token: authenticate the client, apply its per-minute limit (TokenRateLimiter), dispatch on grant_type. Every
/// failure is an RFC 6749 5.2 error: the grants throw it as a <see cref="TokenError"/>, the steps shared with the other
/// OAuth endpoints return it as an <see cref="OAuthError"/>, and this endpoint alone catches and writes it; nothing is
/// cached. A DPoP proof (RFC 9449) is checked for every grant, and binds what the grant issues.
/// </summary>
internal sealed class TokenEndpoint(
    ClientRequestReader requests, AuthorizationCodeGrant codeGrant, RefreshTokenGrant refreshGrant, ClientCredentialsGrant credentialsGrant,
    Device.DeviceCodeGrant deviceGrant, IssuerResolver issuers, DpopTokenRequestProof dpopProofs, IdpMeters metrics)
{
    public async Task<IResult> HandleAsync(HttpContext http)
    {
        var ct = http.RequestAborted;
        var started = Stopwatch.GetTimestamp();
        var grantLabel = "other";
        var outcome = "success";
        try
        {
            var (form, client) = TokenError.ValueOf(
                await requests.ReadAsync(http.Request, everyParameterOnce: true, overLimit: "Too many token requests for this client; retry later.", ct));
            var grantType = form["grant_type"].ToString();
            if (grantType.Length == 0) throw TokenError.InvalidRequest("grant_type is missing.");
            if (!OidcConstants.GrantTypes.Contains(grantType)) throw new TokenError("unsupported_grant_type", $"grant_type '{grantType}' is not supported.");
            grantLabel = grantType;
            if (!client.GrantTypeList.Contains(grantType)) throw TokenError.UnauthorizedClient($"The client may not use the {grantType} grant.");
            var issuer = issuers.Resolve(http);
            var dpop = TokenError.ValueOf(await dpopProofs.ReadAsync(http, issuer + OidcConstants.TokenPath, client.DpopBoundAccessTokens, ct));
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
            outcome = e.OAuth.Error;
            return OAuthErrorResponse.Write(http, e.OAuth);
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
