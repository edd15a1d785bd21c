namespace WaIdentity.WaChannel.Device;

/// <summary>What an admin or an app may do to the device in each state; the portal shows these buttons and the
/// service refuses the others, so a stale page or a script cannot log out a stopped device or start a running one.</summary>
public static class DeviceActions
{
    public const string Start = "start";
    public const string Stop = "stop";
    public const string Restart = "restart";
    public const string Logout = "logout";

    /// <summary>A stopped device can only be started, a waiting or working one stopped or restarted, only a linked
    /// (WORKING) one logged out, a failed one restarted or stopped. A state we do not know (a newer gateway) allows all.</summary>
    public static IReadOnlyList<string> For(string status) => status switch
    {
        DeviceStatus.Stopped or DeviceStatus.Unknown => [Start],
        DeviceStatus.Starting or DeviceStatus.ScanQrCode => [Stop, Restart],
        DeviceStatus.Working => [Stop, Restart, Logout],
        DeviceStatus.Failed => [Restart, Stop],
        _ => [Start, Stop, Restart, Logout],
    };
}

/// <summary>What came of a start/stop/restart/logout: done (with the status the gateway reports after it), or not
/// allowed in the state the device was in.</summary>
public sealed record DeviceActionResult(bool Done, string Action, string StatusBefore, string StatusAfter)
{
    public IReadOnlyList<string> Allowed => DeviceActions.For(StatusBefore);
}
