namespace WaIdentity.IdP.RateLimiting;

/// <summary>The Retry-After value for a wait: whole seconds, rounded up, at least 1 (RFC 9110 10.2.3).</summary>
internal static class RetryAfterHeader
{
    public static string Value(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
