namespace WaIdentity.Tests.Infrastructure;

/// <summary>
/// The app's clock in tests: the wall clock plus an offset that a test moves forward, so "five seconds later" is one
/// call instead of a five-second sleep. Timers and timestamps stay real: the app's background loops (dispatcher,
/// server-sent events, jobs) keep running while a test skips ahead, which a frozen FakeTimeProvider would stop.
/// Unit tests of single classes use FakeTimeProvider.
/// </summary>
public sealed class TestClock : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
}
