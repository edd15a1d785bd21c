using WaIdentity.IdP.Persistence;
using WaIdentity.IdP.RateLimiting;
using WaIdentity.Tests.Infrastructure;

namespace WaIdentity.Tests.Foundation;

public sealed class RateLimiterTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_limit_plus_one_hit_is_refused_even_when_counted_by_another_node(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var nodeA = await IdpTestServer.StartAsync(db);
        await using var nodeB = await IdpTestServer.StartAsync(db);
        Task<RateLimitDecision> Hit(IdpTestServer node) =>
            node.InScopeAsync(sp => sp.GetRequiredService<FixedWindowLimiter>().HitAsync("test", "+6281234567890", 3, TimeSpan.FromHours(1)));

        var decisions = new[] { await Hit(nodeA), await Hit(nodeB), await Hit(nodeA), await Hit(nodeB) };

        Assert.Equal([true, true, true, false], decisions.Select(d => d.Allowed));
        Assert.Equal(4, decisions[^1].Count);
    }
}
