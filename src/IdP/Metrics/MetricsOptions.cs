using WaIdentity.IdP.Configuration;

namespace WaIdentity.IdP.Metrics;

internal sealed class MetricsOptions : IValidatableOptions
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

/// <summary>Where metrics and traces are pushed with OTLP, besides the <c>/metrics</c> scrape endpoint.</summary>
internal sealed class TelemetryOptions : IValidatableOptions
{
    public const string Section = "Telemetry";
    public const string Grpc = "grpc";
    public const string HttpProtobuf = "http/protobuf";

    /// <summary>The collector, e.g. <c>http://otel-collector:4317</c>; empty sends nothing (and records no traces).</summary>
    public string OtlpEndpoint { get; set; } = "";

    public string OtlpProtocol { get; set; } = Grpc;

    /// <summary>The <c>service.name</c> resource attribute on every metric and span.</summary>
    public string ServiceName { get; set; } = "waidentity";

    public bool OtlpEnabled => OtlpEndpoint.Length > 0;

    public IEnumerable<string> Validate(string section)
    {
        if (OtlpEnabled && !(Uri.TryCreate(OtlpEndpoint, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
            yield return $"{section}:OtlpEndpoint: must be an absolute http or https URL when set (was '{OtlpEndpoint}')";
        if (OtlpProtocol is not (Grpc or HttpProtobuf))
            yield return $"{section}:OtlpProtocol: must be '{Grpc}' or '{HttpProtobuf}' (was '{OtlpProtocol}')";
        if (string.IsNullOrWhiteSpace(ServiceName)) yield return $"{section}:ServiceName: must not be empty";
    }
}
