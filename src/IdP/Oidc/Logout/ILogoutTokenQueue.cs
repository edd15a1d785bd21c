namespace WaIdentity.IdP.Oidc.Logout;

/// <summary>
/// Where back-channel logouts wait to be sent and retried. The host puts them on its outgoing-webhook queue, so they are
/// held to the same address rules and retries as an app webhook; the token itself is signed at each try.
/// </summary>
internal interface ILogoutTokenQueue
{
    Task EnqueueAsync(string clientId, string backchannelLogoutUri, BackChannelLogout.Event logout, CancellationToken ct);
}
