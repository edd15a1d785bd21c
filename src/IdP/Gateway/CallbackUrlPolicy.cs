using System.Net;
using System.Net.Sockets;

namespace WaIdentity.IdP.Gateway;

/// <summary>Resolves a host name to addresses; replaceable in tests, where DNS may not work.</summary>
internal interface IHostAddressResolver
{
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct);
}

internal sealed class DnsHostAddressResolver : IHostAddressResolver
{
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct) => Dns.GetHostAddressesAsync(host, ct);
}

/// <summary>
/// Where the server may POST (verification callbacks, inbound webhooks), against SSRF: an absolute https URL (http
/// only for loopback, and only when private addresses are allowed, i.e. Development), under one of the client's
/// registered origins, whose host resolves only to public addresses. The address check runs again when connecting
/// (see <see cref="WebhookSender"/>), so a name that re-resolves to a private address later (DNS rebinding) is refused.
/// </summary>
internal sealed class CallbackUrlPolicy(IHostAddressResolver resolver, bool allowPrivateAddresses)
{
    /// <summary>The verification API's parameter, named in its refusals.</summary>
    private const string CallbackUrl = "callback_url";

    public bool AllowPrivateAddresses => allowPrivateAddresses;

    /// <summary>Null when the URL may be used for this client, else the reason (safe to show the app's developer).</summary>
    public async Task<string?> CheckAsync(string url, IReadOnlyList<string> registeredOrigins, CancellationToken ct)
    {
        if (CheckShape(CallbackUrl, url, allowPrivateAddresses).FirstOrDefault() is { } shape) return shape.ToString();
        if (!registeredOrigins.Contains(Origin(url), StringComparer.OrdinalIgnoreCase))
            return new GatewayFieldProblem(CallbackUrl, GatewayRule.OriginNotRegistered).ToString();
        return (await CheckHostAsync(CallbackUrl, new Uri(url).IdnHost, ct))?.ToString();
    }

    /// <summary>Null when every address of <paramref name="host"/> may be reached, else why not, as a problem of <paramref name="field"/>.</summary>
    public async Task<GatewayFieldProblem?> CheckHostAsync(string field, string host, CancellationToken ct) =>
        (await ResolveAsync(host, ct)).Problem is { } problem ? problem with { Field = field } : null;

    /// <summary>Resolves <paramref name="host"/> (a literal address as is) and picks the address to connect to, or
    /// says why none may be used: one refused address refuses the host.</summary>
    public async Task<(IPAddress? Address, GatewayFieldProblem? Problem)> ResolveAsync(string host, CancellationToken ct)
    {
        IPAddress[] addresses;
        try { addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await resolver.ResolveAsync(host, ct); }
        catch (SocketException) { addresses = []; }
        if (addresses.Length == 0) return (null, new(CallbackUrl, GatewayRule.HostDoesNotResolve, host));
        if (!allowPrivateAddresses && addresses.FirstOrDefault(IsForbidden) is { } bad)
            return (null, new(CallbackUrl, GatewayRule.PrivateAddress, bad.ToString()));
        return (addresses[0], null);
    }

    public static IEnumerable<GatewayFieldProblem> CheckShape(string field, string url, bool allowLoopbackHttp)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var u) || u.Scheme is not ("https" or "http") || u.Fragment.Length > 0 || u.UserInfo.Length > 0 || url.Length > 2000)
            yield return new(field, GatewayRule.NotAnAbsoluteUrl, url);
        else if (u.Scheme == "http" && !(allowLoopbackHttp && (u.IsLoopback || u.Host == "localhost")))
            yield return new(field, GatewayRule.HttpsRequired, url);
    }

    public static IEnumerable<GatewayFieldProblem> CheckOrigin(string field, string origin, bool allowLoopbackHttp)
    {
        foreach (var p in CheckShape(field, origin, allowLoopbackHttp)) { yield return p; yield break; }
        var u = new Uri(origin);
        if (u.AbsolutePath != "/" || u.Query.Length > 0) yield return new(field, GatewayRule.NotAnOrigin, origin);
    }

    public static string Origin(string url) => new Uri(url).GetLeftPart(UriPartial.Authority).ToLowerInvariant();

    /// <summary>Loopback, private (RFC 1918), link-local (incl. cloud metadata 169.254.169.254), CGNAT, unique-local
    /// IPv6, multicast and other special-use ranges: none of them is an app's public endpoint.</summary>
    public static bool IsForbidden(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast)) return true;
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b6 = address.GetAddressBytes();
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || (b6[0] & 0xFE) == 0xFC // fc00::/7
                || (b6[0] == 0x20 && b6[1] == 0x01 && b6[2] == 0x0D && b6[3] == 0xB8) // 2001:db8::/32 documentation
                || (b6[0] == 0x00 && b6[1] == 0x64 && b6[2] == 0xFF && b6[3] == 0x9B); // 64:ff9b::/96 NAT64 can reach IPv4 privates
        }
        var b = address.GetAddressBytes();
        return b[0] == 0 || b[0] == 10 || b[0] == 127
            || (b[0] == 100 && (b[1] & 0xC0) == 64)   // 100.64.0.0/10 CGNAT
            || (b[0] == 169 && b[1] == 254)           // link-local, cloud metadata
            || (b[0] == 172 && (b[1] & 0xF0) == 16)   // 172.16.0.0/12
            || (b[0] == 192 && b[1] == 168)
            || (b[0] == 192 && b[1] == 0 && b[2] is 0 or 2) // IETF protocol assignments, TEST-NET-1
            || (b[0] == 198 && (b[1] & 0xFE) == 18)   // benchmarking
            || b[0] >= 224;                           // multicast and reserved
    }
}
