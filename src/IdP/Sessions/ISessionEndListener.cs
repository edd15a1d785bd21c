namespace WaIdentity.IdP.Sessions;

/// <summary>
/// Told once when a session ends, however it ends. The OIDC side listens (back-channel logout to the clients that
/// signed in through the session), so sessions know nothing of OIDC.
/// </summary>
internal interface ISessionEndListener
{
    Task SessionEndedAsync(string userId, string sessionId, CancellationToken ct);
}
