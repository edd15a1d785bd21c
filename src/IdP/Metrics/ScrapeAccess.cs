using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace WaIdentity.IdP.Metrics;

/// <summary>
/// Runs in front of the Prometheus exporter on <c>/metrics</c>: the counters tell login outcomes and each scrape queries
/// the database, so not for anyone who asks. A bearer token lets a scraper in from anywhere; otherwise the allowed
/// addresses, or, with neither set, loopback callers (everyone in Development).
/// </summary>
internal sealed class ScrapeAccess(RequestDelegate next, IOptions<MetricsOptions> options, IHostEnvironment environment)
{
    public Task InvokeAsync(HttpContext http)
    {
        var o = options.Value;
        if (Authorized(http, o)) return next(http);
        if (o.BearerToken.Length > 0) http.Response.Headers.WWWAuthenticate = "Bearer";
        http.Response.StatusCode = o.BearerToken.Length > 0 ? StatusCodes.Status401Unauthorized : StatusCodes.Status403Forbidden;
        return Task.CompletedTask;
    }

    private bool Authorized(HttpContext http, MetricsOptions o)
    {
        var header = http.Request.Headers.Authorization.ToString();
        if (o.BearerToken.Length > 0 && header.StartsWith("Bearer ", StringComparison.Ordinal) &&
            CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[7..]), Encoding.UTF8.GetBytes(o.BearerToken)))
            return true;
        var caller = http.Connection.RemoteIpAddress is { IsIPv4MappedToIPv6: true } mapped ? mapped.MapToIPv4() : http.Connection.RemoteIpAddress;
        if (caller is null) return false;
        if (o.AllowedAddresses.Length > 0) return o.AllowedAddresses.Any(a => Network(a).Contains(caller));
        if (o.BearerToken.Length > 0) return false;
        return environment.IsDevelopment() || System.Net.IPAddress.IsLoopback(caller);
    }

    /// <summary>A network, or a single address as the network of just itself.</summary>
    private static System.Net.IPNetwork Network(string allowed)
    {
        if (System.Net.IPNetwork.TryParse(allowed, out var network)) return network;
        var address = System.Net.IPAddress.Parse(allowed);
        return new System.Net.IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
    }
}
