using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using WaIdentity.IdP.Oidc.Replay;

namespace WaIdentity.IdP.Oidc.Dpop;

/// <summary>
/// Checks a DPoP proof (RFC 9449 4.3) for one request: typ dpop+jwt, an asymmetric alg, a public jwk that verifies the
/// signature, htm and htu of this request, iat within <see cref="DpopOptions.ProofWindowSeconds"/> of the app's clock,
/// ath of the access token when one is presented, the server nonce when required, and a jti not seen before with this
/// key on any node (the shared JWT id cache). The proof's key thumbprint (RFC 7638) is what tokens get bound to.
/// </summary>
internal sealed class DpopProofValidator(JwtIdReplayCache replay, DpopNonces nonces, TimeProvider clock, IOptions<OidcOptions> options)
{
    public const string ProofType = "dpop+jwt";
    public const string ReplayKind = "dpop";
    /// <summary>What Microsoft.IdentityModel verifies; EdDSA is not among them, so it is not offered.</summary>
    public static readonly string[] Algorithms = ["ES256", "ES384", "ES512", "PS256", "PS384", "PS512", "RS256", "RS384", "RS512"];
    private static readonly string[] PrivateMembers = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];
    private static readonly JsonWebTokenHandler Handler = new() { MapInboundClaims = false };

    /// <param name="accessToken">The access token the proof accompanies (its hash must be ath), or null at the token endpoint.</param>
    public async Task<DpopProofResult> ValidateAsync(string proof, string method, string targetUri, string? accessToken, CancellationToken ct)
    {
        if (proof.Length is 0 or > 8192) return Invalid("The DPoP proof is missing or too long.");
        JsonWebToken jwt;
        try { jwt = new JsonWebToken(proof); }
        catch (Exception e) when (e is ArgumentException or SecurityTokenMalformedException) { return Invalid("The DPoP proof is not a JWT."); }
        if (jwt.Typ != ProofType) return Invalid($"The DPoP proof's typ must be {ProofType}.");
        if (!Algorithms.Contains(jwt.Alg)) return Invalid($"The DPoP proof's alg must be one of {string.Join(", ", Algorithms)}.");
        if (ReadKey(jwt) is not { } key) return Invalid("The DPoP proof's jwk must be a public EC or RSA key (RSA of at least 2048 bits).");
        if (!await SignatureValidAsync(proof, key)) return Invalid("The DPoP proof's signature does not verify with its jwk.");

        if (!jwt.TryGetPayloadValue<string>("jti", out var jti) || jti.Length is 0 or > 256) return Invalid("The DPoP proof has no jti.");
        if (!jwt.TryGetPayloadValue<string>("htm", out var htm) || htm != method) return Invalid($"The DPoP proof's htm must be {method}.");
        if (!jwt.TryGetPayloadValue<string>("htu", out var htu) || !DpopTargetUri.Matches(htu, targetUri)) return Invalid($"The DPoP proof's htu must be {targetUri}.");
        var window = TimeSpan.FromSeconds(options.Value.Dpop.ProofWindowSeconds);
        if (!jwt.TryGetPayloadValue<long>("iat", out var iatSeconds)) return Invalid("The DPoP proof has no iat.");
        var iat = DateTimeOffset.FromUnixTimeSeconds(iatSeconds);
        if ((clock.GetUtcNow() - iat).Duration() > window)
            return Invalid($"The DPoP proof's iat is more than {window.TotalSeconds:0} seconds from the server's time.");
        if (accessToken is not null && (!jwt.TryGetPayloadValue<string>("ath", out var ath) || !HashMatches(ath, accessToken)))
            return Invalid("The DPoP proof's ath must be the base64url SHA-256 of the access token.");
        if (options.Value.Dpop.RequireNonce && !nonces.IsCurrent(jwt.TryGetPayloadValue<string>("nonce", out var nonce) ? nonce : null))
            return new DpopProofResult.NonceRequired("The DPoP proof must carry the nonce from the DPoP-Nonce header.");

        var jkt = Base64UrlEncoder.Encode(key.ComputeJwkThumbprint());
        // Kept until the proof's iat leaves the window, after which the iat check refuses it anyway.
        if (!await replay.TryUseAsync(ReplayKind, jkt, jti, iat + window, ct)) return Invalid("The DPoP proof was already used (jti replay).");
        return new DpopProofResult.Valid(new DpopProof(jkt));
    }

    /// <summary>The ath claim value for an access token (RFC 9449 4.2).</summary>
    public static string AccessTokenHash(string accessToken) => Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken)));

    private static bool HashMatches(string ath, string accessToken) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(ath), Encoding.ASCII.GetBytes(AccessTokenHash(accessToken)));

    /// <summary>The jwk header as a key, or null when absent, private, symmetric or too weak.</summary>
    private static JsonWebKey? ReadKey(JsonWebToken jwt)
    {
        try
        {
            using var header = JsonDocument.Parse(Base64UrlEncoder.Decode(jwt.EncodedHeader));
            if (!header.RootElement.TryGetProperty("jwk", out var jwk) || jwk.ValueKind != JsonValueKind.Object) return null;
            if (PrivateMembers.Any(m => jwk.TryGetProperty(m, out _))) return null;
            var key = new JsonWebKey(jwk.GetRawText());
            return key.Kty switch
            {
                JsonWebAlgorithmsKeyTypes.EllipticCurve when key.X is not null && key.Y is not null && key.Crv is not null => key,
                JsonWebAlgorithmsKeyTypes.RSA when key.N is not null && key.E is not null && key.KeySize >= 2048 => key,
                _ => null,
            };
        }
        catch (Exception e) when (e is JsonException or ArgumentException or FormatException) { return null; }
    }

    private static async Task<bool> SignatureValidAsync(string proof, JsonWebKey key)
    {
        var result = await Handler.ValidateTokenAsync(proof, new TokenValidationParameters
        {
            IssuerSigningKey = key, ValidAlgorithms = Algorithms, ValidTypes = [ProofType],
            ValidateIssuer = false, ValidateAudience = false, ValidateLifetime = false, RequireExpirationTime = false,
            TryAllIssuerSigningKeys = true,
        });
        return result.IsValid;
    }

    private static DpopProofResult.Invalid Invalid(string description) => new(description);
}
