using WaIdentity.WaChannel.Queues;

namespace WaIdentity.Tests.Foundation;

/// <summary>The one retry schedule: doubling from its base, capped, stretched by at most its jitter, repeatable under a seed.</summary>
public sealed class BackoffTests
{
    [Fact]
    public void Delays_double_up_to_the_cap_and_jitter_only_stretches_them_by_its_share()
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), Jitter: 0.2);

        var first = Enumerable.Range(1, 6).Select(n => backoff.Delay(n, new Random(7))).ToList();
        var again = Enumerable.Range(1, 6).Select(n => backoff.Delay(n, new Random(7))).ToList();

        Assert.Equal(first, again);
        var plain = new[] { 1, 2, 4, 8, 10, 10 }.Select(s => TimeSpan.FromSeconds(s)).ToList();
        Assert.Equal(plain, Enumerable.Range(1, 6).Select(n => (backoff with { Jitter = 0 }).Delay(n)));
        Assert.All(first.Zip(plain), p => Assert.InRange(p.First, p.Second, p.Second * 1.2));
        Assert.Equal(TimeSpan.FromSeconds(10), (backoff with { Jitter = 0 }).Delay(int.MaxValue));
    }
}
