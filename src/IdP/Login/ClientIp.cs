namespace WaIdentity.IdP.Login;

/// <summary>
/// The client address for rate-limit keys. The forwarded-headers middleware has already replaced the socket address
/// with X-Forwarded-For, but only for requests from configured trusted proxies (Hosting:TrustedProxies).
/// </summary>
internal static class ClientIp
{
    public static string Of(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
