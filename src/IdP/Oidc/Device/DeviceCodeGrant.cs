using Microsoft.EntityFrameworkCore;
using WaIdentity.IdP.Oidc.Clients;
using WaIdentity.IdP.Oidc.Dpop;
using WaIdentity.IdP.Oidc.Grants;
using WaIdentity.IdP.Oidc.Logout;
using WaIdentity.IdP.Oidc.Tokens;
using WaIdentity.IdP.Persistence;

namespace WaIdentity.IdP.Oidc.Device;

/// <summary>
/// grant_type=urn:ietf:params:oauth:grant-type:device_code (RFC 8628 3.4, 3.5): the device polls with its
/// device_code. Until the user answers: authorization_pending, or slow_down (and 5 more seconds to wait from then
/// on) when it polls sooner than its interval; then access_denied, expired_token, or the tokens, once: redemption is
/// an atomic conditional update, so two concurrent polls cannot both get tokens. A DPoP proof binds the tokens as
/// for the other grants.
/// </summary>
internal sealed class DeviceCodeGrant(IdpDbContext db, TokenIssuer tokens, RefreshTokenStore refreshTokens, SessionClients sessionClients, TimeProvider clock)
{
    public const int SlowDownSeconds = 5;

    public async Task<IResult> HandleAsync(HttpContext http, IFormCollection form, OidcClient client, string issuer, DpopProof? dpop, CancellationToken ct)
    {
        var value = form["device_code"].ToString();
        if (value.Length == 0) throw TokenError.InvalidRequest("device_code is missing.");
        var id = OpaqueToken.Hash(value);
        var row = await db.Set<DeviceAuthorization>().AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, ct);
        if (row is null || row.ClientId != client.ClientId) throw TokenError.InvalidGrant("The device_code is invalid.");
        if (row.RedeemedAt is not null) throw TokenError.InvalidGrant("The device_code has already been used.");
        var now = clock.GetUtcNow();
        if (row.DeniedAt is not null) throw new TokenError("access_denied", "The user denied the request.");
        if (row.ExpiresAt <= now) throw new TokenError("expired_token", "The device_code has expired; start again.");
        if (row.ApprovedAt is null) await PollAsync(row, now, ct);
        var won = await db.Set<DeviceAuthorization>().Where(d => d.Id == id && d.RedeemedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(d => d.RedeemedAt, now), ct);
        if (won == 0) throw TokenError.InvalidGrant("The device_code has already been used.");

        var auth = new Authentication(row.UserId!, row.SessionId!, row.AuthTime!.Value, row.Amr!, row.Acr!);
        var access = await tokens.CreateAccessTokenAsync(issuer, client, auth.UserId, row.Scope, auth, dpop?.Jkt, ct);
        var idToken = row.Scope.Split(' ').Contains(OidcConstants.ScopeOpenId)
            ? await tokens.CreateIdTokenAsync(issuer, client, auth, null, access.Token, ct)
            : null;
        if (idToken is not null) await sessionClients.RecordAsync(auth.SessionId, client.ClientId, issuer, ct);
        var refresh = AuthorizationCodeGrant.RefreshAllowed(client, row.Scope)
            ? await refreshTokens.IssueAsync(client.ClientId, auth, row.Scope, null, null, access, client.IsPublic ? dpop?.Jkt : null, ct)
            : null;
        return TokenResponse.Write(http, access.Token, access.LifetimeSeconds, row.Scope, idToken, refresh, dpop is not null);
    }

    /// <summary>
    /// A poll of a request still waiting for the user. The interval is checked and the poll time recorded in one
    /// conditional update, so polls racing on two nodes cannot both pass as "on time".
    /// </summary>
    private async Task PollAsync(DeviceAuthorization row, DateTimeOffset now, CancellationToken ct)
    {
        var earliest = now.AddSeconds(-row.IntervalSeconds);
        var onTime = await db.Set<DeviceAuthorization>()
            .Where(d => d.Id == row.Id && d.LastPolledAt == row.LastPolledAt && (d.LastPolledAt == null || d.LastPolledAt <= earliest))
            .ExecuteUpdateAsync(u => u.SetProperty(d => d.LastPolledAt, now), ct);
        if (onTime == 0)
        {
            await db.Set<DeviceAuthorization>().Where(d => d.Id == row.Id)
                .ExecuteUpdateAsync(u => u.SetProperty(d => d.IntervalSeconds, d => d.IntervalSeconds + SlowDownSeconds).SetProperty(d => d.LastPolledAt, now), ct);
            throw new TokenError("slow_down", $"Polling too fast: wait at least {row.IntervalSeconds + SlowDownSeconds} seconds between requests.");
        }
        throw new TokenError("authorization_pending", "The user has not answered yet.");
    }
}
