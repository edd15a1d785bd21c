namespace WaIdentity.Tests.Infrastructure;

/// <summary>Polls until a condition holds, for effects of background work (jobs, webhooks). Not a timing assertion.</summary>
public static class Eventually
{
    /// <summary>
    /// Each wait ends as soon as its condition holds; <c>within</c> is only the point where a test gives up. The caps
    /// written in tests are what a quiet machine needs; a CI machine running other suites can be several times slower,
    /// so every cap is stretched by this factor rather than failing a correct run.
    /// </summary>
    public const int BusyMachineSlack = 3;

    public static async Task<T> ValueAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within * BusyMachineSlack;
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > deadline) return value;
            await Task.Delay(100);
        }
    }
}
