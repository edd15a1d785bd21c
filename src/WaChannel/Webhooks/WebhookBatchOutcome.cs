namespace WaIdentity.WaChannel.Webhooks;

/// <summary>What became of each event of a claimed batch (decided by <see cref="WebhookHandling"/>, written by <see cref="WebhookLeases"/>).</summary>
internal sealed class WebhookBatchOutcome
{
    /// <summary>Handled, or set aside after <c>Webhooks:MaxAttempts</c> tries: never looked at again.</summary>
    public List<Guid> Done { get; } = [];

    /// <summary>Tried and not finished (a status for a message not stored yet), by the time each is due again.</summary>
    public Dictionary<DateTimeOffset, List<Guid>> Retries { get; } = [];

    /// <summary>Not tried because the host is stopping: due again at once, the try not counted.</summary>
    public List<Guid> Untried { get; } = [];

    public void RetryAt(DateTimeOffset dueAt, Guid id)
    {
        if (!Retries.TryGetValue(dueAt, out var ids)) Retries[dueAt] = ids = [];
        ids.Add(id);
    }
}
