using Microsoft.EntityFrameworkCore;
using WaIdentity.IdP.Oidc.Grants;
using WaIdentity.IdP.Oidc.Tokens;
using WaIdentity.IdP.Persistence;

namespace WaIdentity.IdP.Oidc.Revocation;

/// <summary>
/// POST /connect/revoke (RFC 7009): the client revokes one of its own tokens. A refresh token revokes its family;
/// an access token goes on the deny-list. Unknown or foreign tokens also get 200, so nothing leaks.
/// </summary>
internal sealed class RevocationEndpoint(ClientRequestReader requests, IdpDbContext db, JwtReader jwts, TokenRevoker revoker, IssuerResolver issuers)
{
    public async Task<IResult> HandleAsync(HttpContext http) => OAuthErrorResponse.Answer(http, await AnswerAsync(http, http.RequestAborted));

    private async Task<Check<IResult, OAuthError>> AnswerAsync(HttpContext http, CancellationToken ct)
    {
        var request = await requests.ReadAsync(http.Request, everyParameterOnce: false, overLimit: null, ct);
        if (!request.Passed) return request.Error;
        var (form, client) = request.Value;
        var token = form["token"].ToString();
        if (token.Length == 0) return OAuthError.InvalidRequest("token is missing.");
        var hash = OpaqueToken.Hash(token);
        var refresh = await db.Set<RefreshToken>().AsNoTracking().FirstOrDefaultAsync(t => t.Id == hash, ct);
        if (refresh is not null && refresh.ClientId == client.ClientId) await revoker.RevokeFamilyAsync(refresh.FamilyId, ct);
        else if (refresh is null && await jwts.ReadAccessTokenAsync(token, issuers.Resolve(http), ct) is { } jwt
                 && jwt.TryGetPayloadValue<string>("client_id", out var owner) && owner == client.ClientId)
            await revoker.RevokeAccessTokenAsync(jwt.Id, jwt.ValidTo, ct);
        http.Response.Headers.CacheControl = "no-store";
        return Check<IResult, OAuthError>.Pass(Results.Ok());
    }
}
