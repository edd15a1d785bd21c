namespace WaIdentity.IdP.RateLimiting;

/// <summary>
/// A page refusing because of a limit or a cooldown (too many codes, too many tries, wait before resending) still shows
/// people its message, but answers 429 with Retry-After, so scripts, monitors and crawlers learn it was a limit and
/// when to come back. A refusal without a wait (a wrong code, an unknown number) is not a limit and keeps its status.
/// </summary>
internal static class LimitRefusal
{
    public static void Mark(HttpResponse response, TimeSpan? wait)
    {
        if (wait is not { } w) return;
        response.StatusCode = StatusCodes.Status429TooManyRequests;
        response.Headers.RetryAfter = RetryAfterHeader.Value(w);
    }
}
