using WaIdentity.IdP.Configuration;

namespace WaIdentity.IdP.Hosting;

/// <summary>
/// <c>Logging:Format</c>: <c>plain</c> (one readable line per entry, the Development default) or <c>json</c> (one JSON object
/// per line for a log collector, the default elsewhere). JSON lines carry the scopes, so every line written while
/// serving a request has its <c>RequestId</c> and the W3C <c>TraceId</c>/<c>SpanId</c> that OTLP traces use too.
/// </summary>
internal sealed class LogFormatOptions : IValidatableOptions
{
    public const string Section = "Logging";
    public const string Plain = "plain";
    public const string Json = "json";

    /// <summary>Empty: plain in Development, JSON elsewhere.</summary>
    public string Format { get; set; } = "";

    public IEnumerable<string> Validate(string section)
    {
        if (Format is not ("" or Plain or Json)) yield return $"{section}:Format: must be '{Plain}' or '{Json}' (was '{Format}')";
    }

    public static void Apply(ILoggingBuilder logging, IConfiguration configuration, IHostEnvironment environment)
    {
        logging.Services.AddValidatedOptions<LogFormatOptions>(configuration, Section);
        var format = configuration[$"{Section}:Format"] is { Length: > 0 } set ? set : environment.IsDevelopment() ? Plain : Json;
        // The request's trace id on every line it writes; a parent id says which caller's span it continues.
        logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);
        if (format != Json) return;
        logging.AddJsonConsole(o =>
        {
            o.IncludeScopes = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
        });
    }
}
