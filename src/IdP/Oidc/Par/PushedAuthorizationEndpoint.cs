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
internal sealed class PushedAuthorizationEndpoint(ClientRequestReader requests, AuthorizeRequestValidator validator, PushedAuthorizationStore store,
    DpopTokenRequestProof dpopProofs, IssuerResolver issuers)
{
    /// <summary>Client credentials are not part of the authorization request and are never stored.</summary>
    private static readonly string[] CredentialParameters = ["client_secret", "client_assertion", "client_assertion_type"];

    public async Task<IResult> HandleAsync(HttpContext http) => OAuthErrorResponse.Answer(http, await AnswerAsync(http, http.RequestAborted));

    private async Task<Check<IResult, OAuthError>> AnswerAsync(HttpContext http, CancellationToken ct)
    {
        var request = await requests.ReadAsync(http.Request, everyParameterOnce: false, overLimit: "Too many requests for this client; retry later.", ct);
        if (!request.Passed) return request.Error;
        var (form, client) = request.Value;
        if (form.ContainsKey("request_uri")) return OAuthError.InvalidRequest("request_uri must not be pushed (RFC 9126 2.1).");
        var parameters = form.Where(p => !CredentialParameters.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);
        parameters["client_id"] = client.ClientId;
        if (await BindDpopKeyAsync(http, parameters, ct) is { } unbound) return unbound;
        switch (await validator.ValidateAsync(new AuthorizeRequest(parameters), AuthorizeRequest.FindRepeated(form), pushed: true, ct))
        {
            case AuthorizeValidation.ErrorPage page: return OAuthError.InvalidRequest(page.Description);
            case AuthorizeValidation.RedirectError e: return new OAuthError(e.Error, e.Description);
        }
        var requestUri = await store.SaveAsync(client.ClientId, parameters, ct);
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.Pragma = "no-cache";
        return Check<IResult, OAuthError>.Pass(Results.Json(new Dictionary<string, object>
        {
            ["request_uri"] = requestUri, ["expires_in"] = (int)PushedAuthorizationStore.Lifetime.TotalSeconds,
        }, statusCode: StatusCodes.Status201Created));
    }

    /// <summary>A DPoP proof sent here names the key the code is bound to (dpop_jkt); the error when it is invalid or
    /// disagrees with a dpop_jkt sent too.</summary>
    private async Task<OAuthError?> BindDpopKeyAsync(HttpContext http, Dictionary<string, string> parameters, CancellationToken ct)
    {
        var proof = await dpopProofs.ReadAsync(http, issuers.Resolve(http) + OidcConstants.PushedAuthorizationPath, required: false, ct);
        if (!proof.Passed) return proof.Error;
        if (proof.Value is not { } bound) return null;
        if (parameters.TryGetValue(DpopNames.JktParameter, out var named) && named != bound.Jkt)
            return new OAuthError(DpopNames.InvalidProof, "dpop_jkt does not match the key of the DPoP proof.");
        parameters[DpopNames.JktParameter] = bound.Jkt;
        return null;
    }
}
