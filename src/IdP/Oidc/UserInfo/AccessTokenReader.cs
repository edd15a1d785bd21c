using System.Net.Http.Headers;
using Microsoft.IdentityModel.JsonWebTokens;
using WaIdentity.IdP.Oidc.Dpop;
using WaIdentity.IdP.Oidc.Revocation;
using WaIdentity.IdP.Oidc.Tokens;

namespace WaIdentity.IdP.Oidc.UserInfo;

/// <summary>Reads a bearer access token (RFC 6750 2.1 header, or 2.2 form body) and checks it is valid and not revoked.</summary>
internal sealed class AccessTokenReader(JwtReader jwts, TokenRevoker revoker)
{
    public async Task<JsonWebToken?> ReadAsync(string token, string issuer, CancellationToken ct)
    {
        var jwt = await jwts.ReadAccessTokenAsync(token, issuer, ct);
        if (jwt is null || !jwt.TryGetPayloadValue<string>("jti", out var jti)) return null;
        return await revoker.IsAccessTokenRevokedAsync(jti, ct) ? null : jwt;
    }

    /// <summary>The token and its scheme: the DPoP authorization scheme (RFC 9449 7.1), else a bearer token as <see cref="BearerAsync"/> reads it.</summary>
    internal static async Task<(TokenScheme Scheme, string Token)?> PresentedAsync(HttpRequest request)
    {
        if (AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var h) && h.Scheme.Equals(DpopNames.Scheme, StringComparison.OrdinalIgnoreCase))
            return h.Parameter is { Length: > 0 } token ? (TokenScheme.Dpop, token) : null;
        return await BearerAsync(request) is { } bearer ? (TokenScheme.Bearer, bearer) : null;
    }

    public static async Task<string?> BearerAsync(HttpRequest request)
    {
        if (AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var h) && h.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
            return h.Parameter;
        if (request.Method == HttpMethods.Post && request.HasFormContentType)
            return (await request.ReadFormAsync()).TryGetValue("access_token", out var v) ? v.ToString() : null;
        return null;
    }
}
