using Microsoft.Extensions.Options;
using WaIdentity.IdP.Oidc;
using WaIdentity.IdP.Oidc.Dpop;
using WaIdentity.IdP.Oidc.UserInfo;
using WaIdentity.IdP.RateLimiting;

namespace WaIdentity.IdP.Gateway;

/// <summary>The client an API call is made for, proven by its access token.</summary>
public sealed record GatewayCaller(string ClientId, IReadOnlyList<string> Scopes);

/// <summary>
/// Authenticates an API call: the bearer access token is validated exactly as userinfo does it (signature, issuer,
/// lifetime, revocation deny-list), then the scope is checked and the client's per-minute limit counted.
/// </summary>
public sealed class GatewayAuthenticator(AccessTokenReader reader, IssuerResolver issuers, FixedWindowLimiter limiter, IOptionsMonitor<GatewayOptions> options, TimeProvider clock)
{
    public async Task<(GatewayCaller? Caller, IResult? Problem)> AuthenticateAsync(HttpContext http, string scope)
    {
        http.Response.Headers.CacheControl = "no-store";
        var token = await AccessTokenReader.BearerAsync(http.Request);
        if (token is null) return (null, GatewayProblem.InvalidToken(http, error: null));
        var jwt = await reader.ReadAsync(token, issuers.Resolve(http), http.RequestAborted);
        if (jwt is null || !jwt.TryGetPayloadValue<string>("client_id", out var clientId)) return (null, GatewayProblem.InvalidToken(http));
        // The API takes bearer tokens only; a DPoP-bound token (RFC 9449) is worth nothing without its key's proof.
        if (DpopResourceRequest.BoundKey(jwt) is not null) return (null, GatewayProblem.InvalidToken(http));
        var scopes = jwt.TryGetPayloadValue<string>("scope", out var s) ? s.Split(' ', StringSplitOptions.RemoveEmptyEntries) : [];
        if (!scopes.Contains(scope)) return (null, GatewayProblem.InsufficientScope(http, scope));
        var hit = await limiter.HitAsync("gateway-api", clientId, options.CurrentValue.RequestsPerMinute, TimeSpan.FromMinutes(1), http.RequestAborted);
        if (!hit.Allowed) return (null, GatewayProblem.RateLimited(http, hit.RetryAfter(clock.GetUtcNow()), "per-minute request limit"));
        return (new GatewayCaller(clientId, scopes), null);
    }

    /// <summary>Counts one unit of a daily quota (UTC day); null when allowed, else the 429 problem.</summary>
    public async Task<IResult?> SpendDailyAsync(HttpContext http, GatewayCaller caller, string quota, int limit)
    {
        var hit = await limiter.HitAsync("gateway-" + quota, caller.ClientId, limit, TimeSpan.FromDays(1), http.RequestAborted);
        return hit.Allowed ? null : GatewayProblem.RateLimited(http, hit.RetryAfter(clock.GetUtcNow()), $"daily {quota} quota");
    }
}
