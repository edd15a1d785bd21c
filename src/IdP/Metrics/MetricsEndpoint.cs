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

    /// <summary>When set, scrapers must send <c>Authorization: Bearer &lt;token&gt;</c>. Empty: open (put it behind the proxy).</summary>
    public string BearerToken { get; set; } = "";

    public IEnumerable<string> Validate(string section)
    {
        if (BearerToken.Length is > 0 and < 16) yield return $"{section}:BearerToken: must be at least 16 characters when set";
    }
}

/// <summary><c>GET /metrics</c>: this node's counters plus the cluster-wide gauges, in Prometheus text format.</summary>
public static class MetricsEndpoint
{
    public static IServiceCollection AddIdpMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<MetricsOptions>(configuration, MetricsOptions.Section);
        services.AddSingleton<MetricsRegistry>();
        return services;
    }

    public static void MapIdpMetrics(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value.Enabled) return;
        app.MapGet("/metrics", ServeAsync);
    }

    private static async Task<IResult> ServeAsync(HttpContext http, MetricsRegistry registry, IEnumerable<IMetricsSource> sources, IOptions<MetricsOptions> options)
    {
        if (!Authorized(http, options.Value.BearerToken)) return Results.Unauthorized();
        var output = new StringBuilder();
        registry.WriteTo(output);
        foreach (var source in sources) await source.WriteAsync(output, http.RequestAborted);
        return Results.Text(output.ToString(), PrometheusText.ContentType);
    }

    private static bool Authorized(HttpContext http, string token)
    {
        if (token.Length == 0) return true;
        var header = http.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.Ordinal) &&
               CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[7..]), Encoding.UTF8.GetBytes(token));
    }
}
