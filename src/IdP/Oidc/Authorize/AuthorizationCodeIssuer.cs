using Microsoft.Extensions.Options;
using WaIdentity.IdP.Oidc.Grants;
using WaIdentity.IdP.Oidc.Tokens;
using WaIdentity.IdP.Persistence;

namespace WaIdentity.IdP.Oidc.Authorize;

/// <summary>Creates a single-use authorization code bound to client, redirect URI, PKCE challenge, the session and the
/// DPoP key named by dpop_jkt (RFC 9449 10).</summary>
internal sealed class AuthorizationCodeIssuer(IdpDbContext db, TimeProvider clock, IOptions<OidcOptions> options)
{
    public async Task<string> IssueAsync(AuthorizeRequest request, Authentication auth, CancellationToken ct)
    {
        var code = OpaqueToken.New();
        var now = clock.GetUtcNow();
        db.Set<AuthorizationCode>().Add(new AuthorizationCode
        {
            Id = OpaqueToken.Hash(code), ClientId = request.ClientId!, UserId = auth.UserId, SessionId = auth.SessionId,
            RedirectUri = request.RedirectUri!, Scope = string.Join(' ', request.Scopes.Distinct()), Nonce = request.Nonce,
            CodeChallenge = request.CodeChallenge, DpopJkt = request["dpop_jkt"], Amr = auth.Amr, Acr = auth.Acr, AuthTime = auth.AuthTime,
            CreatedAt = now, ExpiresAt = now.AddSeconds(options.Value.AuthorizationCodeLifetimeSeconds),
        });
        await db.SaveChangesAsync(ct);
        return code;
    }
}
