namespace WaIdentity.WaChannel.Device;

/// <summary>The gateway session statuses (WAHA). Anything else the gateway says is kept as text.</summary>
public static class DeviceStatus
{
    public const string Unknown = "UNKNOWN";
    public const string Stopped = "STOPPED";
    public const string Starting = "STARTING";
    public const string ScanQrCode = "SCAN_QR_CODE";
    public const string Working = "WORKING";
    public const string Failed = "FAILED";
}

/// <summary>The one row per gateway session: last known status and what the watchdog needs.</summary>
public sealed class DeviceState
{
    public string Session { get; set; } = "";
    public string Status { get; set; } = DeviceStatus.Unknown;
    /// <summary>When the gateway said so (its timestamp where given); older reports are ignored.</summary>
    public DateTimeOffset StatusAt { get; set; }
    /// <summary>False after an admin stop: the watchdog then leaves a stopped device alone.</summary>
    public bool ShouldRun { get; set; } = true;
    /// <summary>The linked account, E.164; null when not linked.</summary>
    public string? AccountPhone { get; set; }
    /// <summary>The account's push name: chosen by its owner, display text only.</summary>
    public string? AccountName { get; set; }
    public int RestartAttempts { get; set; }
    public DateTimeOffset? NextRestartAt { get; set; }
    public DateTimeOffset? LastPolledAt { get; set; }
}

/// <summary>One entry of the device's history: a status change or an action taken on it.</summary>
public sealed class DeviceEvent
{
    public Guid Id { get; set; }
    public string Session { get; set; } = "";
    /// <summary>"status", "action" or "error".</summary>
    public string Kind { get; set; } = "";
    public string Detail { get; set; } = "";
    public DateTimeOffset At { get; set; }
}

/// <summary>Something an admin must do (now: scan a new QR). Open until <see cref="ResolvedAt"/>.</summary>
public sealed class DeviceAlert
{
    public const string ScanNeeded = "scan-needed";

    public Guid Id { get; set; }
    public string Session { get; set; } = "";
    public string Kind { get; set; } = "";
    public string Message { get; set; } = "";
    public DateTimeOffset RaisedAt { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
}
