using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using WaIdentity.IdP.Oidc.Clients;
using WaIdentity.IdP.Oidc.Replay;

namespace WaIdentity.IdP.Oidc.ClientAuthentication;

/// <summary>
/// private_key_jwt (RFC 7523 2.2 and 3, OIDC Core 9): a JWT signed with one of the client's registered keys, with
/// iss = sub = client_id; aud the issuer, the token endpoint URL or the URL of the endpoint called (the PAR endpoint at
/// PAR, as RFC 9126 2 and the OIDC errata allow); exp required and at most <see cref="MaxLifetime"/> ahead; jti
/// required and used once (across nodes, until exp). Every failure is invalid_client, returned as an <see cref="OAuthError"/>.
/// </summary>
internal sealed class ClientAssertionValidator(ClientRegistry clients, ClientKeySource keys, JwtIdReplayCache replay, IssuerResolver issuers, TimeProvider clock)
{
    public const string JwtBearer = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    public const string ReplayKind = "client_assertion";
    /// <summary>An assertion is made for one request; a long-lived one would be a bearer credential.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Skew = TimeSpan.FromSeconds(30);
    public static readonly string[] Algorithms = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"];
    private static readonly JsonWebTokenHandler Handler = new() { MapInboundClaims = false };

    public async Task<Check<OidcClient, OAuthError>> AuthenticateAsync(HttpRequest request, string? type, string? assertion, string? formClientId, CancellationToken ct)
    {
        if (type is null || assertion is null) return OAuthError.InvalidRequest("client_assertion and client_assertion_type go together.");
        if (type != JwtBearer) return OAuthError.InvalidClient($"client_assertion_type must be {JwtBearer}.");
        var clientId = ClaimedClient(assertion);
        if (!clientId.Passed) return clientId.Error;
        if (formClientId is not null && formClientId != clientId.Value) return OAuthError.InvalidClient("client_id does not match the client assertion.");
        var client = await clients.FindAsync(clientId.Value, ct);
        if (client is null || !client.UsesPrivateKeyJwt) return OAuthError.InvalidClient("Client authentication failed.");

        var result = await ValidateAsync(request, assertion, client, ct);
        if (!result.IsValid) return OAuthError.InvalidClient(Reason(result.Exception));
        var jwt = (JsonWebToken)result.SecurityToken;
        if (string.IsNullOrEmpty(jwt.Id)) return OAuthError.InvalidClient("The client assertion has no jti.");
        if (!await replay.TryUseAsync(ReplayKind, client.ClientId, jwt.Id, new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero), ct))
            return OAuthError.InvalidClient("The client assertion was already used (jti replay).");
        return client;
    }

    /// <summary>The client the assertion claims to be, read before its signature can be checked (to find its keys).</summary>
    private static Check<string, OAuthError> ClaimedClient(string assertion)
    {
        JsonWebToken jwt;
        try { jwt = new JsonWebToken(assertion); }
        catch (Exception e) when (e is ArgumentException or SecurityTokenMalformedException) { return OAuthError.InvalidClient("The client assertion is not a JWT."); }
        if (string.IsNullOrEmpty(jwt.Issuer) || jwt.Subject != jwt.Issuer) return OAuthError.InvalidClient("The client assertion's iss and sub must both be the client_id.");
        return jwt.Issuer;
    }

    /// <summary>Checks the signature with the client's keys, fetching its jwks_uri again once when no known key fits (a
    /// rotated key).</summary>
    private async Task<TokenValidationResult> ValidateAsync(HttpRequest request, string assertion, OidcClient client, CancellationToken ct)
    {
        var issuer = issuers.Resolve(request.HttpContext);
        var audiences = new[] { issuer, issuer + OidcConstants.TokenPath, issuer + request.Path };
        var result = await ValidateAsync(assertion, client, audiences, refreshKeys: false, ct);
        if (result.Exception is SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException && client.JwksUri is not null)
            result = await ValidateAsync(assertion, client, audiences, refreshKeys: true, ct);
        return result;
    }

    private async Task<TokenValidationResult> ValidateAsync(string assertion, OidcClient client, string[] audiences, bool refreshKeys, CancellationToken ct) =>
        await Handler.ValidateTokenAsync(assertion, new TokenValidationParameters
        {
            ValidIssuer = client.ClientId,
            ValidAudiences = audiences,
            ValidAlgorithms = Algorithms,
            IssuerSigningKeys = await keys.GetAsync(client, refreshKeys, ct),
            RequireExpirationTime = true,
            LifetimeValidator = (notBefore, expires, _, _) =>
            {
                var now = clock.GetUtcNow().UtcDateTime;
                return expires is { } exp && exp > now - Skew && exp <= now + MaxLifetime + Skew && (notBefore is null || notBefore <= now + Skew);
            },
        });

    private static string Reason(Exception? e) => e switch
    {
        SecurityTokenInvalidAudienceException => "The client assertion's aud must be the issuer or this endpoint's URL.",
        SecurityTokenNoExpirationException => "The client assertion has no exp.",
        SecurityTokenInvalidLifetimeException => $"The client assertion is expired, not yet valid, or valid for more than {MaxLifetime.TotalMinutes:0} minutes.",
        SecurityTokenInvalidAlgorithmException => $"The client assertion's alg must be one of {string.Join(", ", Algorithms)}.",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "The client assertion is not signed with a key registered for the client.",
        _ => "The client assertion is invalid.",
    };
}
