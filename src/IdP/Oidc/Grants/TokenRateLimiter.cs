using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WaIdentity.IdP.Persistence;

namespace WaIdentity.IdP.Oidc.Grants;

/// <summary>
/// The token endpoint's per-client, per-minute limit, counted across nodes without a database write per request:
/// each node counts in memory and once a second adds its new hits to the shared counter row (the same table and
/// upsert as FixedWindowLimiter), learning the cluster-wide total in the same statement. A request is allowed while
/// the last known cluster total plus this node's unflushed hits stays within the limit, so the limit holds across
/// nodes to within one second of traffic. (A write per token request would cap the endpoint at the database's commit
/// rate; see docs/performance.md.)
/// </summary>
internal sealed class TokenRateLimiter(IServiceScopeFactory scopes, TimeProvider clock, IOptions<OidcOptions> options, ILogger<TokenRateLimiter> log) : BackgroundService
{
    private const string Bucket = "oidc.token";
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, Counter> _counters = new();

    private sealed class Counter(long window)
    {
        public readonly long Window = window;
        public int Unflushed;
        public int ClusterTotal;
    }

    /// <summary>Counts one request of <paramref name="clientId"/>; returns the seconds to wait, or 0 when allowed.</summary>
    private int Hit(string clientId)
    {
        var window = CurrentWindow();
        var counter = _counters.AddOrUpdate(clientId, _ => new Counter(window), (_, c) => c.Window == window ? c : new Counter(window));
        var unflushed = Interlocked.Increment(ref counter.Unflushed);
        if (Volatile.Read(ref counter.ClusterTotal) + unflushed <= options.Value.TokenRequestsPerClientPerMinute) return 0;
        var endsAt = DateTimeOffset.FromUnixTimeMilliseconds((window + 1) * (long)Window.TotalMilliseconds);
        return Math.Max(1, (int)Math.Ceiling((endsAt - clock.GetUtcNow()).TotalSeconds));
    }

    /// <summary>Counts one request of <paramref name="clientId"/>; the 429 error when it is over the limit, else null.</summary>
    public OAuthError? Refusal(string clientId, string description) =>
        Hit(clientId) is var wait and > 0 ? OAuthError.TooManyRequests(description, wait) : null;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try { await FlushAsync(stoppingToken); }
            catch (Exception e) when (e is not OperationCanceledException) { log.LogWarning(e, "Could not share token rate-limit counts"); }
        }
    }

    public async Task FlushAsync(CancellationToken ct)
    {
        var window = CurrentWindow();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdpDbContext>();
        foreach (var (clientId, counter) in _counters)
        {
            if (counter.Window != window) { _counters.TryRemove(new(clientId, counter)); continue; }
            var hits = Interlocked.Exchange(ref counter.Unflushed, 0);
            var key = $"{Bucket}:{clientId}:{window}";
            var endsAt = (window + 1) * (long)Window.TotalMilliseconds;
            var total = await (db.Database.IsSqlServer()
                ? db.Database.SqlQuery<int>($"""
                    MERGE "RateLimitCounters" WITH (HOLDLOCK) AS t USING (SELECT {key} AS "Key") AS s ON t."Key" = s."Key"
                    WHEN MATCHED THEN UPDATE SET "Count" = t."Count" + {hits}
                    WHEN NOT MATCHED THEN INSERT ("Key", "Count", "ExpiresAt") VALUES ({key}, {hits}, {endsAt})
                    OUTPUT inserted."Count" AS "Value";
                    """)
                : db.Database.SqlQuery<int>($"""
                    INSERT INTO "RateLimitCounters" ("Key", "Count", "ExpiresAt") VALUES ({key}, {hits}, {endsAt})
                    ON CONFLICT ("Key") DO UPDATE SET "Count" = "RateLimitCounters"."Count" + {hits}
                    RETURNING "Count" AS "Value"
                    """)).ToListAsync(ct);
            Volatile.Write(ref counter.ClusterTotal, total[0]);
        }
    }

    private long CurrentWindow() => clock.GetUtcNow().ToUnixTimeMilliseconds() / (long)Window.TotalMilliseconds;
}
