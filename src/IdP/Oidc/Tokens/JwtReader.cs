using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using WaIdentity.IdP.Oidc.Keys;

namespace WaIdentity.IdP.Oidc.Tokens;

/// <summary>
/// Validates JWTs this server issued: signature against the published keys, issuer, type. Access tokens must be
/// unexpired; an id_token_hint may be expired (OIDC Core 3.1.2.1 and RP-Initiated Logout allow it).
/// </summary>
internal sealed class JwtReader(SigningKeyStore keys, TimeProvider clock)
{
    private static readonly JsonWebTokenHandler Handler = new() { MapInboundClaims = false };

    public Task<JsonWebToken?> ReadAccessTokenAsync(string token, string issuer, CancellationToken ct) =>
        ReadAsync(token, issuer, OidcConstants.AccessTokenType, validateLifetime: true, ct);

    public Task<JsonWebToken?> ReadIdTokenHintAsync(string token, string issuer, CancellationToken ct) =>
        ReadAsync(token, issuer, "JWT", validateLifetime: false, ct);

    private async Task<JsonWebToken?> ReadAsync(string token, string issuer, string type, bool validateLifetime, CancellationToken ct)
    {
        if (token.Length > 8192) return null;
        var published = await keys.GetPublishedKeysAsync(ct);
        var result = await Handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = issuer,
            ValidateAudience = false, // access tokens: aud is this server; ID token hints: any of our clients
            ValidateLifetime = validateLifetime,
            ClockSkew = TimeSpan.Zero,
            LifetimeValidator = validateLifetime ? (_, expires, _, _) => expires > clock.GetUtcNow().UtcDateTime : null,
            ValidTypes = [type],
            IssuerSigningKeys = published.Select(k => k.PrivateKey),
        });
        return result.IsValid ? (JsonWebToken)result.SecurityToken : null;
    }
}
