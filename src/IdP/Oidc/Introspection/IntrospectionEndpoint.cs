using Microsoft.EntityFrameworkCore;
using WaIdentity.IdP.Oidc.Dpop;
using WaIdentity.IdP.Oidc.Grants;
using WaIdentity.IdP.Oidc.Tokens;
using WaIdentity.IdP.Oidc.UserInfo;
using WaIdentity.IdP.Persistence;

namespace WaIdentity.IdP.Oidc.Introspection;

/// <summary>
/// POST /connect/introspect (RFC 7662). Callers authenticate as confidential clients (resource servers). Revoked,
/// consumed, expired or unknown tokens answer only <c>{"active": false}</c>. A DPoP-bound token shows its key as cnf.jkt
/// (RFC 9449 6.2), so a resource server can check the proof.
/// </summary>
internal sealed class IntrospectionEndpoint(ClientRequestReader requests, IdpDbContext db, AccessTokenReader accessTokens, IssuerResolver issuers, TimeProvider clock)
{
    public async Task<IResult> HandleAsync(HttpContext http)
    {
        http.Response.Headers.CacheControl = "no-store";
        return OAuthErrorResponse.Answer(http, await AnswerAsync(http, http.RequestAborted));
    }

    private async Task<Check<IResult, OAuthError>> AnswerAsync(HttpContext http, CancellationToken ct)
    {
        var request = await requests.ReadAsync(http.Request, everyParameterOnce: false, overLimit: null, ct);
        if (!request.Passed) return request.Error;
        if (request.Value.Client.IsPublic) return OAuthError.InvalidClient("Introspection needs an authenticated (confidential) client.");
        var token = request.Value.Form["token"].ToString();
        if (token.Length == 0) return OAuthError.InvalidRequest("token is missing.");
        var issuer = issuers.Resolve(http);
        return Check<IResult, OAuthError>.Pass(Results.Json(await RefreshAsync(token, issuer, ct) ?? await AccessAsync(token, issuer, ct) ?? Inactive));
    }

    private static readonly Dictionary<string, object> Inactive = new() { ["active"] = false };

    private async Task<Dictionary<string, object>?> RefreshAsync(string token, string issuer, CancellationToken ct)
    {
        var hash = OpaqueToken.Hash(token);
        var t = await db.Set<RefreshToken>().AsNoTracking().FirstOrDefaultAsync(r => r.Id == hash, ct);
        if (t is null) return null;
        if (t.RevokedAt is not null || t.ConsumedAt is not null || t.ExpiresAt <= clock.GetUtcNow()) return Inactive;
        return WithKey(new()
        {
            ["active"] = true, ["token_type"] = "refresh_token", ["client_id"] = t.ClientId, ["sub"] = t.UserId, ["scope"] = t.Scope,
            ["iat"] = t.CreatedAt.ToUnixTimeSeconds(), ["exp"] = t.ExpiresAt.ToUnixTimeSeconds(), ["iss"] = issuer,
        }, t.DpopJkt);
    }

    private async Task<Dictionary<string, object>?> AccessAsync(string token, string issuer, CancellationToken ct)
    {
        var jwt = await accessTokens.ReadAsync(token, issuer, ct);
        if (jwt is null) return null;
        var jkt = DpopResourceRequest.BoundKey(jwt);
        return WithKey(new()
        {
            ["active"] = true, ["token_type"] = jkt is null ? "Bearer" : DpopNames.TokenType, ["client_id"] = jwt.GetPayloadValue<string>("client_id"), ["sub"] = jwt.Subject,
            ["scope"] = jwt.GetPayloadValue<string>("scope"), ["iat"] = new DateTimeOffset(jwt.IssuedAt).ToUnixTimeSeconds(),
            ["exp"] = new DateTimeOffset(jwt.ValidTo).ToUnixTimeSeconds(), ["iss"] = jwt.Issuer, ["aud"] = jwt.Audiences.First(), ["jti"] = jwt.Id,
        }, jkt);
    }

    private static Dictionary<string, object> WithKey(Dictionary<string, object> answer, string? jkt)
    {
        if (jkt is not null) answer["cnf"] = new Dictionary<string, string> { ["jkt"] = jkt };
        return answer;
    }
}
