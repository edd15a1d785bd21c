namespace WaIdentity.IdP.RateLimiting;

/// <summary>
/// A fixed-window limit for hot endpoints (the token endpoint) without a database write per request: each node takes
/// allowance from the shared counter in blocks of limit/20 (one upsert per block, <see cref="FixedWindowLimiter"/>)
/// and spends it in memory. The counter still holds across nodes and can never be exceeded: a node only spends what
/// it reserved, and what it reserved but did not spend lapses with the window, so the limit is at most one block per
/// node stricter, never looser. Limits under 40 have blocks of one: exactly the shared counter, hit by hit.
/// </summary>
public sealed class BlockReservingLimiter(IServiceScopeFactory scopes, TimeProvider clock)
{
    public const int BlocksPerWindow = 20;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Allowance> _allowances = new();

    public static int BlockSize(int limit) => Math.Max(1, limit / BlocksPerWindow);

    public async Task<RateLimitDecision> HitAsync(string bucket, string subject, int limit, TimeSpan window, CancellationToken ct = default)
    {
        var allowance = _allowances.GetOrAdd($"{bucket}:{subject}", _ => new Allowance());
        var windowIndex = clock.GetUtcNow().ToUnixTimeMilliseconds() / (long)window.TotalMilliseconds;
        if (allowance.TrySpend(windowIndex) is { } spent) return spent;
        await allowance.Refill.WaitAsync(ct);
        try
        {
            // Another request may have refilled it while this one waited.
            if (allowance.TrySpend(windowIndex) is { } again) return again;
            var block = BlockSize(limit);
            await using var scope = scopes.CreateAsyncScope();
            var reserved = await scope.ServiceProvider.GetRequiredService<FixedWindowLimiter>().HitAsync(bucket, subject, limit, window, block, ct);
            var granted = Math.Clamp(limit - (reserved.Count - block), 0, block);
            allowance.Set(windowIndex, granted, granted < block, reserved.WindowEndsAt);
            return allowance.TrySpend(windowIndex)!;
        }
        finally { allowance.Refill.Release(); }
    }

    /// <summary>What this node reserved for one subject in the current window and has not spent yet.</summary>
    private sealed class Allowance
    {
        private long _window = -1;
        private int _left;
        private bool _exhausted;
        private DateTimeOffset _endsAt;

        public SemaphoreSlim Refill { get; } = new(1, 1);

        /// <summary>A decision when this window's reservation answers it; null when a new block must be reserved.</summary>
        public RateLimitDecision? TrySpend(long window)
        {
            lock (this)
            {
                if (_window != window) return null;
                if (_left > 0) return new RateLimitDecision(true, --_left, _endsAt);
                return _exhausted ? new RateLimitDecision(false, 0, _endsAt) : null;
            }
        }

        /// <param name="exhausted">Less than a full block was granted: the shared counter is at the limit for this window.</param>
        public void Set(long window, int granted, bool exhausted, DateTimeOffset endsAt)
        {
            lock (this) (_window, _left, _exhausted, _endsAt) = (window, granted, exhausted, endsAt);
        }
    }
}
