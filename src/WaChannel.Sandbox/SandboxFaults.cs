using System.Collections.Concurrent;

namespace WaIdentity.WaChannel.Sandbox;

/// <summary>
/// Failures a developer asked the emulators to produce on the next sends of a channel: "server-error" (5xx),
/// "rate-limit" (429), "undeliverable" (accepted, then a failed status), "slow" (accepted only after
/// Channel:Sandbox:SlowResponseMilliseconds, even when the app has given up waiting, as a provider under load does).
/// Kept in memory: Sandbox is one node.
/// </summary>
internal sealed class SandboxFaults
{
    public static readonly string[] Kinds = ["server-error", "rate-limit", "undeliverable", "slow"];
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _next = new();

    public void Add(string channel, string kind, int count)
    {
        var queue = _next.GetOrAdd(channel, _ => new ConcurrentQueue<string>());
        for (var i = 0; i < count; i++) queue.Enqueue(kind);
    }

    /// <summary>How many of the asked-for failures are still to come on a channel.</summary>
    public int Remaining(string channel) => _next.TryGetValue(channel, out var q) ? q.Count : 0;

    public string? Take(string channel) => _next.TryGetValue(channel, out var q) && q.TryDequeue(out var kind) ? kind : null;
}
