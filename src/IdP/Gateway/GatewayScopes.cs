namespace WaIdentity.IdP.Gateway;

/// <summary>The API scopes a client can be granted for client_credentials tokens.</summary>
internal static class GatewayScopes
{
    public const string Send = "wa.send";
    public const string Verify = "wa.verify";
    public const string Inbound = "wa.inbound";
    /// <summary>The linked WhatsApp device: its status, QR and pairing code, start/stop/restart/logout, screenshot.</summary>
    public const string Device = "wa.device";
    public static readonly string[] All = [Send, Verify, Inbound, Device];
}
