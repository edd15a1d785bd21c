using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace WaIdentity.IdP.Oidc.Dpop;

/// <summary>How a protected resource request presented its access token.</summary>
internal enum TokenScheme { Bearer, Dpop }

/// <summary>The outcome of checking the sender constraint of an access token at a protected resource.</summary>
internal abstract record DpopResourceResult
{
    public sealed record Accepted : DpopResourceResult;
    /// <summary>Refused: answer 401 with a DPoP challenge carrying <see cref="Error"/> (RFC 9449 7.1).</summary>
    public sealed record Refused(string Error, string Description) : DpopResourceResult;
}

/// <summary>
/// The resource-server side of DPoP (RFC 9449 7): a token bound to a key (cnf.jkt) must come with the DPoP scheme and
/// a proof for this request, signed with that key and carrying the token's hash (ath); a bound token presented as
/// Bearer is refused, and so is an unbound one presented as DPoP.
/// </summary>
internal sealed class DpopResourceRequest(DpopProofValidator validator)
{
    public async Task<DpopResourceResult> CheckAsync(HttpRequest request, TokenScheme scheme, string token, JsonWebToken jwt, string resourceUrl, CancellationToken ct)
    {
        var boundTo = BoundKey(jwt);
        if (scheme == TokenScheme.Bearer)
            return boundTo is null ? new DpopResourceResult.Accepted()
                : new DpopResourceResult.Refused("invalid_token", "This access token is DPoP-bound: present it with the DPoP scheme and a proof.");
        if (boundTo is null) return new DpopResourceResult.Refused("invalid_token", "This access token is not DPoP-bound: present it with the Bearer scheme.");
        var headers = request.Headers[DpopNames.Header];
        if (headers.Count != 1) return new DpopResourceResult.Refused(DpopNames.InvalidProof, "Send exactly one DPoP header with a DPoP-bound access token.");
        return await validator.ValidateAsync(headers[0] ?? "", request.Method, resourceUrl, token, ct) switch
        {
            DpopProofResult.Valid v when v.Proof.Jkt == boundTo => new DpopResourceResult.Accepted(),
            DpopProofResult.Valid => new DpopResourceResult.Refused(DpopNames.InvalidProof, "The DPoP proof is not signed with the key the access token is bound to."),
            DpopProofResult.NonceRequired n => new DpopResourceResult.Refused(DpopNames.UseNonce, n.Description),
            DpopProofResult.Invalid i => new DpopResourceResult.Refused(DpopNames.InvalidProof, i.Description),
            _ => throw new InvalidOperationException("Unknown DPoP proof result."),
        };
    }

    /// <summary>The cnf.jkt of an access token this server issued (RFC 9449 6.1), or null for a bearer token.</summary>
    public static string? BoundKey(JsonWebToken jwt)
    {
        using var payload = JsonDocument.Parse(Base64UrlEncoder.Decode(jwt.EncodedPayload));
        return payload.RootElement.TryGetProperty("cnf", out var cnf) && cnf.ValueKind == JsonValueKind.Object
            && cnf.TryGetProperty("jkt", out var jkt) && jkt.ValueKind == JsonValueKind.String ? jkt.GetString() : null;
    }
}
