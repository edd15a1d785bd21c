namespace WaIdentity.IdP.Oidc.Dpop;

/// <summary>
/// The DPoP proof of a request to the token or PAR endpoint (RFC 9449 5, 10.1): none, or exactly one valid proof for
/// POST to that endpoint. A client registered with dpop_bound_access_tokens must send one at the token endpoint (5.2).
/// Refusals are token-endpoint errors; use_dpop_nonce comes with a fresh nonce in the DPoP-Nonce header.
/// </summary>
internal sealed class DpopTokenRequestProof(DpopProofValidator validator, DpopNonces nonces)
{
    /// <returns>The proof; a null value when the request carries none (and the client may send none).</returns>
    public async Task<Check<DpopProof?, OAuthError>> ReadAsync(HttpContext http, string endpointUrl, bool required, CancellationToken ct)
    {
        var headers = http.Request.Headers[DpopNames.Header];
        if (headers.Count == 0)
            return required
                ? new OAuthError(DpopNames.InvalidProof, "This client must send a DPoP proof with its token requests (dpop_bound_access_tokens).")
                : Check<DpopProof?, OAuthError>.Pass(null);
        if (headers.Count > 1) return new OAuthError(DpopNames.InvalidProof, "Send exactly one DPoP header.");
        switch (await validator.ValidateAsync(headers[0] ?? "", HttpMethods.Post, endpointUrl, null, ct))
        {
            case DpopProofResult.Valid valid:
                return valid.Proof;
            case DpopProofResult.NonceRequired nonce:
                http.Response.Headers[DpopNames.NonceHeader] = nonces.Issue();
                return new OAuthError(DpopNames.UseNonce, nonce.Description);
            case DpopProofResult.Invalid invalid:
                return new OAuthError(DpopNames.InvalidProof, invalid.Description);
            default:
                throw new InvalidOperationException("Unknown DPoP proof result.");
        }
    }
}
