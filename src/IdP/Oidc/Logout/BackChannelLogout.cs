using WaIdentity.IdP.Oidc.Clients;
using WaIdentity.IdP.Oidc.Tokens;
using WaIdentity.IdP.Sessions;

namespace WaIdentity.IdP.Oidc.Logout;

/// <summary>
/// OIDC Back-Channel Logout 1.0: when a session ends, each client that signed in through it and registered a
/// backchannel_logout_uri gets a logout token. Queued on the host's outgoing-webhook queue (<see cref="ILogoutTokenQueue"/>),
/// so it is retried like an app webhook and held to the same address rules; the token itself is signed at each try, so
/// a retry never carries an expired one. Told by <c>SessionSignIn</c>, where every way of ending a session passes, as
/// its <see cref="ISessionEndListener"/>.
/// </summary>
internal sealed class BackChannelLogout(SessionClients sessionClients, ClientRegistry clients, ILogoutTokenQueue queue, ILogger<BackChannelLogout> log)
    : ISessionEndListener
{
    public const string Kind = "backchannel-logout";

    /// <summary>What the queue keeps: the claims that do not change between tries (no secret: the token is made when sent).</summary>
    public sealed record Event(string Iss, string Sub, string Sid, string Jti);

    public async Task SessionEndedAsync(string userId, string sessionId, CancellationToken ct)
    {
        foreach (var signedIn in await sessionClients.OfSessionAsync(sessionId, ct))
        {
            var client = await clients.FindAsync(signedIn.ClientId, ct);
            if (client?.BackchannelLogoutUri is not { } uri) continue;
            await queue.EnqueueAsync(client.ClientId, uri, new Event(signedIn.Issuer, userId, sessionId, OpaqueToken.New()[..22]), ct);
            log.LogInformation("Back-channel logout queued for client {ClientId}, session {SessionPrefix}", client.ClientId, sessionId[..8]);
        }
    }
}
