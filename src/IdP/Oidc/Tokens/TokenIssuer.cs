using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using WaIdentity.IdP.Oidc.Clients;
using WaIdentity.IdP.Oidc.Keys;

namespace WaIdentity.IdP.Oidc.Tokens;

/// <summary>Who authenticated, how and when: what a grant knows about the user behind a token.</summary>
internal sealed record Authentication(string UserId, string SessionId, DateTimeOffset AuthTime, string Amr, string Acr);

/// <summary>An access token's jti and lifetime, fixed before it is signed: what is issued with it records the jti, to revoke it.</summary>
internal record AccessTokenTerms(string TokenId, DateTimeOffset IssuedAt, int LifetimeSeconds)
{
    public DateTimeOffset ExpiresAt => IssuedAt.AddSeconds(LifetimeSeconds);
}

/// <summary>A signed access token with its terms.</summary>
internal sealed record IssuedAccessToken : AccessTokenTerms
{
    public IssuedAccessToken(string token, AccessTokenTerms terms) : base(terms) => Token = token;

    public string Token { get; }
}

/// <summary>
/// Signs access tokens (RFC 9068 JWTs: typ at+jwt, client_id, scope, jti) and ID tokens (OIDC Core 2, with at_hash).
/// Access tokens are always ES256: only this server validates them. ID tokens use the client's algorithm.
/// </summary>
internal sealed class TokenIssuer(SigningKeyStore keys, TimeProvider clock, IOptions<OidcOptions> options)
{
    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    public AccessTokenTerms NewAccessTokenTerms(OidcClient client) => new(OpaqueToken.New()[..22], clock.GetUtcNow(),
        OidcClient.Lifetime(client.AccessTokenLifetimeSeconds, options.Value.AccessTokenLifetimeSeconds));

    /// <param name="dpopJkt">The thumbprint of the DPoP key the token is bound to (cnf.jkt, RFC 9449 6.1), or null for a bearer token.</param>
    public Task<IssuedAccessToken> CreateAccessTokenAsync(string issuer, OidcClient client, string subject, string scope, Authentication? auth,
        string? dpopJkt, CancellationToken ct) =>
        SignAccessTokenAsync(NewAccessTokenTerms(client), issuer, client, subject, scope, auth, dpopJkt, ct);

    /// <summary>Signs the access token of <paramref name="terms"/> (from <see cref="NewAccessTokenTerms"/>).</summary>
    public async Task<IssuedAccessToken> SignAccessTokenAsync(AccessTokenTerms terms, string issuer, OidcClient client, string subject, string scope,
        Authentication? auth, string? dpopJkt, CancellationToken ct)
    {
        var claims = new Dictionary<string, object>
        {
            ["sub"] = subject, ["client_id"] = client.ClientId, ["scope"] = scope, ["jti"] = terms.TokenId,
        };
        if (auth is not null)
        {
            claims["auth_time"] = auth.AuthTime.ToUnixTimeSeconds();
            claims["acr"] = auth.Acr;
            claims["sid"] = auth.SessionId;
        }
        if (dpopJkt is not null) claims["cnf"] = new Dictionary<string, object> { ["jkt"] = dpopJkt };
        var token = await SignAsync(OidcConstants.ES256, issuer, issuer, OidcConstants.AccessTokenType, claims, terms.IssuedAt, terms.LifetimeSeconds, ct);
        return new IssuedAccessToken(token, terms);
    }

    public async Task<string> CreateIdTokenAsync(string issuer, OidcClient client, Authentication auth, string? nonce, string? accessToken, CancellationToken ct)
    {
        var claims = new Dictionary<string, object>
        {
            ["sub"] = auth.UserId, ["azp"] = client.ClientId, ["auth_time"] = auth.AuthTime.ToUnixTimeSeconds(),
            ["acr"] = auth.Acr, ["amr"] = auth.Amr.Split(' ', StringSplitOptions.RemoveEmptyEntries), ["sid"] = auth.SessionId,
        };
        if (nonce is not null) claims["nonce"] = nonce;
        if (accessToken is not null) claims["at_hash"] = LeftHalfHash(accessToken, client.SigningAlgorithm);
        return await SignAsync(client.SigningAlgorithm, issuer, client.ClientId, "JWT", claims, clock.GetUtcNow(),
            OidcClient.Lifetime(client.IdTokenLifetimeSeconds, options.Value.IdTokenLifetimeSeconds), ct);
    }

    /// <summary>
    /// A logout token (OIDC Back-Channel Logout 1.0 2.4): typ logout+jwt, the client's ID token algorithm, sub and sid,
    /// the back-channel logout event, never a nonce. It lives two minutes: it is signed again at each delivery try.
    /// </summary>
    public Task<string> CreateLogoutTokenAsync(string issuer, OidcClient client, string subject, string sessionId, string jti, CancellationToken ct)
    {
        var claims = new Dictionary<string, object>
        {
            ["sub"] = subject, ["sid"] = sessionId, ["jti"] = jti,
            ["events"] = new Dictionary<string, object> { [OidcConstants.BackChannelLogoutEvent] = new Dictionary<string, object>() },
        };
        return SignAsync(client.SigningAlgorithm, issuer, client.ClientId, OidcConstants.LogoutTokenType, claims, clock.GetUtcNow(), LogoutTokenLifetimeSeconds, ct);
    }

    public const int LogoutTokenLifetimeSeconds = 120;

    private async Task<string> SignAsync(string algorithm, string issuer, string audience, string type, Dictionary<string, object> claims,
        DateTimeOffset now, int lifetimeSeconds, CancellationToken ct)
    {
        var key = await keys.GetSigningKeyAsync(algorithm, ct);
        claims["iat"] = now.ToUnixTimeSeconds();
        claims["exp"] = now.AddSeconds(lifetimeSeconds).ToUnixTimeSeconds();
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer, Audience = audience, Claims = claims, TokenType = type,
            SigningCredentials = new SigningCredentials(key.PrivateKey, algorithm),
        });
    }

    /// <summary>at_hash (OIDC Core 3.1.3.6): left half of the hash of the ASCII token, with the signing alg's hash (SHA-256 for both).</summary>
    private static string LeftHalfHash(string value, string algorithm)
    {
        _ = algorithm; // ES256 and RS256 both use SHA-256.
        var hash = SHA256.HashData(Encoding.ASCII.GetBytes(value));
        return Base64UrlEncoder.Encode(hash, 0, hash.Length / 2);
    }
}
