namespace WaIdentity.IdP.Persistence;

/// <summary>A fixed-window counter shared by all nodes. <see cref="Key"/> is "bucket:subject:window".</summary>
internal sealed class RateLimitCounter
{
    public string Key { get; set; } = "";
    public int Count { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}
