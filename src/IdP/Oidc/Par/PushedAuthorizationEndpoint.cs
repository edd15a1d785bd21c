using WaIdentity.IdP.Oidc.Authorize;
using WaIdentity.IdP.Oidc.Dpop;
using WaIdentity.IdP.Oidc.Grants;

namespace WaIdentity.IdP.Oidc.Par;

/// <summary>
/// POST /connect/par (RFC 9126): the client authenticates as at the token endpoint and pushes its authorization
/// request, which is validated as the authorize endpoint would; the answer is a one-time request_uri for
/// /connect/authorize. Errors are token-endpoint style JSON (RFC 9126 2.3). A DPoP proof sent here binds the code to its
/// key, as dpop_jkt would (RFC 9449 10.1).
/// </summary>
internal sealed class PushedAuthorizationEndpoint(ClientAuthenticator authenticator, AuthorizeRequestValidator validator, PushedAuthorizationStore store,
    TokenRateLimiter limiter, DpopTokenRequestProof dpopProofs, IssuerResolver issuers)
{
    /// <summary>Client credentials are not part of the authorization request and are never stored.</summary>
    private static readonly string[] CredentialParameters = ["client_secret", "client_assertion", "client_assertion_type"];

    public async Task<IResult> HandleAsync(HttpContext http)
    {
        var ct = http.RequestAborted;
        try
        {
            var form = await TokenRequestForm.ReadAsync(http.Request, ct);
            var client = await authenticator.AuthenticateAsync(http.Request, form, ct);
            if (limiter.Hit(client.ClientId) is var wait and > 0)
            {
                http.Response.Headers.RetryAfter = wait.ToString();
                throw new TokenError("invalid_request", "Too many requests for this client; retry later.", StatusCodes.Status429TooManyRequests);
            }
            if (form.ContainsKey("request_uri")) throw TokenError.InvalidRequest("request_uri must not be pushed (RFC 9126 2.1).");
            var parameters = form.Where(p => !CredentialParameters.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);
            parameters["client_id"] = client.ClientId;
            if (await dpopProofs.ReadAsync(http, issuers.Resolve(http) + OidcConstants.PushedAuthorizationPath, required: false, ct) is { } proof)
            {
                if (parameters.TryGetValue(DpopNames.JktParameter, out var named) && named != proof.Jkt)
                    throw new TokenError(DpopNames.InvalidProof, "dpop_jkt does not match the key of the DPoP proof.");
                parameters[DpopNames.JktParameter] = proof.Jkt;
            }
            var request = new AuthorizeRequest(parameters);
            switch (await validator.ValidateAsync(request, AuthorizeRequest.FindRepeated(form), pushed: true, ct))
            {
                case AuthorizeValidation.ErrorPage page: throw TokenError.InvalidRequest(page.Description);
                case AuthorizeValidation.RedirectError e: throw new TokenError(e.Error, e.Description);
            }
            var requestUri = await store.SaveAsync(client.ClientId, parameters, ct);
            http.Response.Headers.CacheControl = "no-store";
            http.Response.Headers.Pragma = "no-cache";
            return Results.Json(new Dictionary<string, object>
            {
                ["request_uri"] = requestUri, ["expires_in"] = (int)PushedAuthorizationStore.Lifetime.TotalSeconds,
            }, statusCode: StatusCodes.Status201Created);
        }
        catch (TokenError e)
        {
            return e.ToResult(http);
        }
    }
}
