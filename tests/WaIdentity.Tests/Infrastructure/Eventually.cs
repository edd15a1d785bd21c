using System.Runtime.CompilerServices;

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

    /// <summary>The value that met <paramref name="done"/>. A condition that never holds fails the test where it waited,
    /// naming the condition and the last value: handing back the last value instead let a test wait out the whole
    /// cap and then pass on weaker assertions than the condition it waited for.</summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan within,
        [CallerArgumentExpression(nameof(done))] string condition = "",
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        var deadline = DateTime.UtcNow + within * BusyMachineSlack;
        while (true)
        {
            var value = await read();
            if (done(value)) return value;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException(
                    $"Waited {within * BusyMachineSlack} at {Path.GetFileName(file)}:{line} for {condition}; the last value was {Describe(value)}");
            await Task.Delay(100);
        }
    }

    private static string Describe<T>(T value) => value switch
    {
        null => "null",
        string s => s.Length > 300 ? s[..300] + "…" : s,
        System.Collections.IEnumerable items => $"[{string.Join(", ", items.Cast<object?>().Take(10))}]",
        _ => value.ToString() ?? "",
    };
}
