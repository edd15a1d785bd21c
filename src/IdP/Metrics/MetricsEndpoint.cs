using Microsoft.Extensions.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using WaIdentity.IdP.Configuration;
using WaIdentity.IdP.Login;
using WaIdentity.WaChannel.Outbox;
using WaIdentity.WaChannel.Telemetry;

namespace WaIdentity.IdP.Metrics;

/// <summary>
/// OpenTelemetry for the host: this node's meters and the cluster-wide channel gauges at <c>GET /metrics</c> in
/// Prometheus text format, and, when <c>Telemetry:OtlpEndpoint</c> is set, metrics and traces pushed with OTLP.
/// </summary>
internal static class MetricsEndpoint
{
    /// <summary>
    /// Meters created from this host's meter factory. They are enabled through the host's metrics rules rather than
    /// <c>AddMeter</c>, which would listen to every meter of that name in the process: the rules keep a meter scoped to
    /// the factory that made it, so two hosts in one process (the tests) never count each other's requests.
    /// </summary>
    private static readonly string[] HostMeters =
    [
        IdpMeters.MeterName, ChannelMeters.MeterName,
        "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Routing",
        "Microsoft.AspNetCore.Diagnostics", "Microsoft.AspNetCore.RateLimiting", "System.Net.Http",
    ];

    public static IServiceCollection AddIdpMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<MetricsOptions>(configuration, MetricsOptions.Section);
        services.AddValidatedOptions<TelemetryOptions>(configuration, TelemetryOptions.Section);
        services.AddSingleton<IdpMeters>();
        var scrape = configuration.GetSection(MetricsOptions.Section).Get<MetricsOptions>() ?? new();
        var telemetry = configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new();

        services.AddMetrics(rules => { foreach (var meter in HostMeters) rules.EnableMetrics(meter); });
        var otel = services.AddOpenTelemetry().ConfigureResource(r => r.AddService(telemetry.ServiceName));
        otel.WithMetrics(metrics =>
        {
            metrics.AddRuntimeInstrumentation();
            // No response cache: the gauges are read from the database per scrape and a test reads a count right after an action.
            if (scrape.Enabled) metrics.AddPrometheusExporter(o => { o.ScrapeResponseCacheDurationMilliseconds = 0; o.ScopeInfoEnabled = false; });
            if (telemetry.OtlpEnabled) metrics.AddOtlpExporter(o => Otlp(o, telemetry, "v1/metrics"));
        });
        // Spans are only worth recording when something collects them.
        if (telemetry.OtlpEnabled)
            otel.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !IsProbe(http.Request.Path))
                .AddHttpClientInstrumentation()
                .AddSource(ChannelTracing.SourceName, LoginTracing.SourceName)
                .AddOtlpExporter(o => Otlp(o, telemetry, "v1/traces")));
        return services;
    }

    public static void MapIdpMetrics(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value.Enabled) return;
        app.MapPrometheusScrapingEndpoint("/metrics", meterProvider: null, configureBranchedPipeline: branch => branch.UseMiddleware<ScrapeAccess>(), optionsName: null);
    }

    private static bool IsProbe(PathString path) => path.StartsWithSegments("/metrics") || path.StartsWithSegments("/health");

    /// <param name="signalPath">OTLP over HTTP posts each signal to its own path below the collector's address; gRPC uses the address as is.</param>
    private static void Otlp(OtlpExporterOptions o, TelemetryOptions telemetry, string signalPath)
    {
        var http = telemetry.OtlpProtocol == TelemetryOptions.HttpProtobuf;
        o.Protocol = http ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
        o.Endpoint = http ? new Uri(telemetry.OtlpEndpoint.TrimEnd('/') + "/" + signalPath) : new Uri(telemetry.OtlpEndpoint);
    }
}
