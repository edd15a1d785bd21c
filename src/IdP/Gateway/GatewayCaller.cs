using Microsoft.Extensions.Options;
using WaIdentity.IdP.Oidc;
using WaIdentity.IdP.Oidc.Dpop;
using WaIdentity.IdP.Oidc.UserInfo;
using WaIdentity.IdP.RateLimiting;

namespace WaIdentity.IdP.Gateway;

/// <summary>The client an API call is made for, proven by its access token.</summary>
internal sealed record GatewayCaller(string ClientId, IReadOnlyList<string> Scopes);

/// <summary>
/// Authenticates an API call: the bearer access token is validated exactly as userinfo does it (signature, issuer,
/// lifetime, revocation deny-list), then the scope is checked and the client's per-minute limit counted.
/// </summary>
internal sealed class GatewayAuthenticator(AccessTokenReader reader, IssuerResolver issuers, FixedWindowLimiter limiter, IOptionsMonitor<GatewayOptions> options, TimeProvider clock,
    GatewayApiKeys keys, GatewayClientSettings settings, SelfService.DeveloperApps apps)
{
    public async Task<Check<GatewayCaller, GatewayDenial>> AuthenticateAsync(HttpContext http, string scope)
    {
        http.Response.Headers.CacheControl = "no-store";
        // WhatsAuth's clients send their key in a "Token" header: taken like a bearer, so they work unchanged.
        var token = await AccessTokenReader.BearerAsync(http.Request) ?? TokenHeader(http.Request);
        if (token is null) return new GatewayDenial.NoToken();
        var (clientId, scopes) = await ReadCredentialAsync(http, token);
        if (clientId is null) return new GatewayDenial.InvalidToken();
        if (!scopes.Contains(scope)) return new GatewayDenial.InsufficientScope(scope);
        if (apps.IsHeld(await settings.FindAsync(clientId, http.RequestAborted))) return new GatewayDenial.AppNotApproved();
        var hit = await limiter.HitAsync("gateway-api", clientId, options.CurrentValue.RequestsPerMinute, TimeSpan.FromMinutes(1), http.RequestAborted);
        if (!hit.Allowed) return new GatewayDenial.RateLimited(hit.RetryAfter(clock.GetUtcNow()), "per-minute request limit");
        return new GatewayCaller(clientId, scopes);
    }

    public const string TokenHeaderName = "Token";

    /// <summary>An API key (wak_…) or an access token: the client it is for and its scopes; a null client when neither is valid.</summary>
    private async Task<(string? ClientId, IReadOnlyList<string> Scopes)> ReadCredentialAsync(HttpContext http, string token)
    {
        if (token.StartsWith(GatewayApiKey.KeyPrefix, StringComparison.Ordinal))
            return await keys.FindLiveAsync(token, http.RequestAborted) is { } key ? (key.ClientId, key.ScopeList) : (null, []);
        var jwt = await reader.ReadAsync(token, issuers.Resolve(http), http.RequestAborted);
        if (jwt is null || !jwt.TryGetPayloadValue<string>("client_id", out var clientId)) return (null, []);
        // The API takes bearer tokens only; a DPoP-bound token (RFC 9449) is worth nothing without its key's proof.
        if (DpopResourceRequest.BoundKey(jwt) is not null) return (null, []);
        return (clientId, jwt.TryGetPayloadValue<string>("scope", out var s) ? s.Split(' ', StringSplitOptions.RemoveEmptyEntries) : []);
    }

    private static string? TokenHeader(HttpRequest request) =>
        request.Headers[TokenHeaderName].ToString() is { Length: > 0 } t ? t.Trim() : null;

    /// <summary>Counts one unit of a daily quota (UTC day): the client's own when an admin set one, else the
    /// server-wide value. Null when allowed, else the quota used up.</summary>
    public async Task<GatewayDenial.RateLimited?> SpendDailyAsync(HttpContext http, GatewayCaller caller, DailyQuota quota)
    {
        var own = await settings.FindAsync(caller.ClientId, http.RequestAborted);
        var rules = options.CurrentValue;
        var (name, limit) = quota == DailyQuota.Messages
            ? ("messages", own?.DailyMessageQuota ?? rules.DailyMessageQuota)
            : ("verifications", own?.DailyVerificationQuota ?? rules.DailyVerificationQuota);
        var hit = await limiter.HitAsync("gateway-" + name, caller.ClientId, limit, TimeSpan.FromDays(1), http.RequestAborted);
        return hit.Allowed ? null : new GatewayDenial.RateLimited(hit.RetryAfter(clock.GetUtcNow()), $"daily {name} quota");
    }
}

internal enum DailyQuota { Messages, Verifications }
