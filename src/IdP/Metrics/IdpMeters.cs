using System.Diagnostics.Metrics;

namespace WaIdentity.IdP.Metrics;

/// <summary>
/// The IdP's own instruments (System.Diagnostics.Metrics, from this host's meter factory). /metrics shows them with the
/// Prometheus suffixes added by the exporter: counters end in <c>_total</c>, histograms give <c>_bucket</c>, <c>_sum</c>, <c>_count</c>.
/// </summary>
internal sealed class IdpMeters
{
    public const string MeterName = "WaIdentity.IdP";

    /// <summary>Request latencies: a few milliseconds for most pages, up to seconds under load.</summary>
    private static readonly double[] RequestBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>A person reading and typing a code: seconds to minutes.</summary>
    private static readonly double[] LoginBuckets = [1, 2, 5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 300, 600];

    private readonly Counter<long> _logins;
    private readonly Counter<long> _sessionsStarted;
    private readonly Counter<long> _requests;
    private readonly Histogram<double> _requestDuration;
    private readonly Histogram<double> _loginDuration;
    private readonly Histogram<double> _tokenDuration;

    public IdpMeters(IMeterFactory factory)
    {
        var meter = factory.Create(MeterName);
        _logins = meter.CreateCounter<long>("waidentity_logins", description: "Login attempts by method and outcome.");
        _sessionsStarted = meter.CreateCounter<long>("waidentity_sessions_started",
            description: "Sessions started, by the methods that proved the user (amr).");
        _requests = meter.CreateCounter<long>("waidentity_http_requests", description: "HTTP requests by endpoint and status.");
        _requestDuration = meter.CreateHistogram("waidentity_http_request_duration_seconds", "s",
            "Time spent serving requests, by endpoint.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = RequestBuckets });
        _loginDuration = meter.CreateHistogram("waidentity_login_duration_seconds", "s",
            "Time from the start of a code login (phone number submitted, or send-code page shown) to its accepted first factor, by method.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LoginBuckets });
        _tokenDuration = meter.CreateHistogram("waidentity_token_request_duration_seconds", "s",
            "Time to answer POST /connect/token, by grant type and outcome.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = RequestBuckets });
    }

    /// <param name="method">An amr value or "+"-joined amr values, e.g. "otp+wa".</param>
    /// <param name="outcome">"success" or the failure's message key (a small fixed set).</param>
    public void LoginAttempt(string method, string outcome) =>
        _logins.Add(1, new("method", method), new("outcome", outcome));

    /// <param name="started">When the login flow began (the phone number was submitted).</param>
    public void LoginCompleted(string method, TimeSpan sinceStart) =>
        _loginDuration.Record(Math.Max(0, sinceStart.TotalSeconds), new KeyValuePair<string, object?>("method", method));

    public void SessionStarted(string amr) => _sessionsStarted.Add(1, new KeyValuePair<string, object?>("amr", amr));

    /// <param name="endpoint">The route pattern, never the raw path (a bounded label set).</param>
    public void RequestServed(string endpoint, int status, TimeSpan elapsed)
    {
        _requests.Add(1, new("endpoint", endpoint), new("status", status.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        _requestDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("endpoint", endpoint));
    }

    /// <param name="grantType">A supported grant type, or "other" (the label set stays bounded).</param>
    /// <param name="outcome">"success" or the RFC 6749 error code.</param>
    public void TokenRequest(string grantType, string outcome, TimeSpan elapsed) =>
        _tokenDuration.Record(elapsed.TotalSeconds, new("grant_type", grantType), new("outcome", outcome));
}
