namespace WaIdentity.IdP.Sessions;

/// <summary>
/// A browser's signed-in session at the IdP, kept server-side so that logout, "this was not me" and admin
/// revocation end it on every node. <see cref="Id"/> is the OIDC <c>sid</c>.
/// </summary>
internal sealed class UserSession
{
    public string Id { get; set; } = "";
    public string UserId { get; set; } = "";
    /// <summary>Space-separated RFC 8176 values, e.g. "otp sms" or "pwd otp".</summary>
    public string Amr { get; set; } = "";
    public string Acr { get; set; } = "";
    public DateTimeOffset AuthTime { get; set; }
    public DateTimeOffset LastSeenAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public string? UserAgent { get; set; }
    public string? IpAddress { get; set; }
}
