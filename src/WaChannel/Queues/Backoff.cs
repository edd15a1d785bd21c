namespace WaIdentity.WaChannel.Queues;

/// <summary>
/// The one retry schedule of both projects: <see cref="Base"/> x 2^(attempt-1), at most <see cref="Cap"/>, stretched
/// by up to <see cref="Jitter"/> (0.2 = 20%) so retries from many nodes spread out. Pass a seeded <see cref="Random"/>
/// for a repeatable jitter.
/// </summary>
public sealed record Backoff(TimeSpan Base, TimeSpan Cap, double Jitter = 0)
{
    /// <param name="attempt">Tries made so far, the failed one included (1 for the first retry).</param>
    public TimeSpan Delay(int attempt, Random? random = null)
    {
        // Past 2^30 every sensible base is over its cap; the bound keeps Math.Pow finite.
        var doubled = Base.TotalMilliseconds * Math.Pow(2, Math.Clamp(attempt - 1, 0, 30));
        var ms = Math.Min(doubled, Cap.TotalMilliseconds);
        if (Jitter > 0) ms *= 1 + (random ?? Random.Shared).NextDouble() * Jitter;
        return TimeSpan.FromMilliseconds(ms);
    }
}
