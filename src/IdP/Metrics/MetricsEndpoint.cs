using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using WaIdentity.IdP.Configuration;

namespace WaIdentity.IdP.Metrics;

public sealed class MetricsOptions : IValidatableOptions
{
    public const string Section = "Metrics";

    /// <summary>Serve <c>/metrics</c> at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>When set, a scraper sending <c>Authorization: Bearer &lt;token&gt;</c> is let in from anywhere.</summary>
    public string BearerToken { get; set; } = "";

    /// <summary>
    /// Addresses or networks (<c>10.0.0.0/8</c>) scrapers may call from without a token. With neither a token nor an
    /// address set, Development is open and every other environment answers loopback callers only.
    /// </summary>
    public string[] AllowedAddresses { get; set; } = [];

    public IEnumerable<string> Validate(string section)
    {
        if (BearerToken.Length is > 0 and < 16) yield return $"{section}:BearerToken: must be at least 16 characters when set";
        for (var i = 0; i < AllowedAddresses.Length; i++)
            if (!System.Net.IPNetwork.TryParse(AllowedAddresses[i], out _) && !System.Net.IPAddress.TryParse(AllowedAddresses[i], out _))
                yield return $"{section}:AllowedAddresses:{i}: must be an IP address or a network like 10.0.0.0/8 (was '{AllowedAddresses[i]}')";
    }
}

/// <summary><c>GET /metrics</c>: this node's counters plus the cluster-wide gauges, in Prometheus text format.</summary>
public static class MetricsEndpoint
{
    public static IServiceCollection AddIdpMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<MetricsOptions>(configuration, MetricsOptions.Section);
        services.AddSingleton<MetricsRegistry>();
        services.AddHostedService<ChannelMeterBridge>();
        return services;
    }

    public static void MapIdpMetrics(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value.Enabled) return;
        app.MapGet("/metrics", ServeAsync);
    }

    private static async Task<IResult> ServeAsync(HttpContext http, MetricsRegistry registry, IEnumerable<IMetricsSource> sources, IOptions<MetricsOptions> options, IHostEnvironment environment)
    {
        // The counters tell login outcomes and each scrape queries the database: not for anyone who asks.
        if (!Authorized(http, options.Value, environment))
        {
            if (options.Value.BearerToken.Length > 0) http.Response.Headers.WWWAuthenticate = "Bearer";
            return Results.StatusCode(options.Value.BearerToken.Length > 0 ? StatusCodes.Status401Unauthorized : StatusCodes.Status403Forbidden);
        }
        var output = new StringBuilder();
        registry.WriteTo(output);
        foreach (var source in sources) await source.WriteAsync(output, http.RequestAborted);
        return Results.Text(output.ToString(), PrometheusText.ContentType);
    }

    private static bool Authorized(HttpContext http, MetricsOptions o, IHostEnvironment environment)
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
