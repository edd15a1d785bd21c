using Microsoft.EntityFrameworkCore;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Infrastructure;

namespace WaIdentity.Tests.Foundation;

public sealed class JobTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_purge_job_deletes_expired_rows_and_keeps_live_ones(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var server = await IdpTestServer.StartAsync(db, new Dictionary<string, string?> { ["Jobs:PurgeIntervalSeconds"] = "1" });
        await server.InScopeAsync(async sp =>
        {
            var ctx = sp.GetRequiredService<IdpDbContext>();
            ctx.RateLimitCounters.Add(new RateLimitCounter { Key = "expired", Count = 1, ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(-1) });
            ctx.RateLimitCounters.Add(new RateLimitCounter { Key = "live", Count = 1, ExpiresAt = DateTimeOffset.UtcNow.AddHours(1) });
            return await ctx.SaveChangesAsync();
        });

        var remaining = await Eventually.ValueAsync(
            () => server.InScopeAsync(sp => sp.GetRequiredService<IdpDbContext>().RateLimitCounters.Select(c => c.Key).ToListAsync()),
            keys => !keys.Contains("expired"), TimeSpan.FromSeconds(20));

        Assert.Equal(["live"], remaining);
    }
}
