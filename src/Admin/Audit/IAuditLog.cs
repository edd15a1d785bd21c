namespace WaIdentity.Admin.Audit;

/// <summary>Every change an admin makes: who, what, when, the state before and after. A port the host implements.</summary>
public interface IAuditLog
{
    /// <param name="before">Serialised as JSON; never pass secrets (the portal passes summaries, not entities).</param>
    Task RecordAsync(string actorId, string action, string target, object? before, object? after, CancellationToken ct = default);

    Task<IReadOnlyList<AuditEntry>> RecentAsync(int limit, CancellationToken ct = default);
}

public sealed record AuditEntry(DateTimeOffset At, string ActorId, string Action, string Target, string? Before, string? After);
