using Microsoft.Extensions.Options;

namespace WaIdentity.WaChannel.Device;

/// <summary>Settings under "Channel:Device": the WAHA-style gateway the business number is linked to as a device.</summary>
public sealed class DeviceOptions
{
    public const string Section = "Channel:Device";

    /// <summary>Off by default: the gateway is an unofficial path, opted into explicitly.</summary>
    public bool Enabled { get; set; }
    /// <summary>Gateway base URL (e.g. http://waha:3000). Empty in Sandbox: the built-in emulator.</summary>
    public string BaseUrl { get; set; } = "";
    /// <summary>Sent as X-Api-Key on every call.</summary>
    public string ApiKey { get; set; } = "";
    public string SessionName { get; set; } = "default";
    /// <summary>Key of the gateway's X-Webhook-Hmac (HMAC-SHA512 over the raw body); registered with the session.</summary>
    public string WebhookHmacKey { get; set; } = "";
    /// <summary>Webhooks whose X-Webhook-Timestamp is older than this are refused (the HMAC does not cover it).</summary>
    public int WebhookMaxAgeSeconds { get; set; } = 300;
    /// <summary>How often the watchdog asks the gateway for the session's status; never below 2.</summary>
    public int WatchdogIntervalSeconds { get; set; } = 10;
    /// <summary>First delay before a watchdog restart; doubles per failed attempt up to <see cref="RestartMaxSeconds"/>.</summary>
    public int RestartBaseSeconds { get; set; } = 5;
    public int RestartMaxSeconds { get; set; } = 600;
    /// <summary>How long a message for the device waits for it to be WORKING (stopped, starting, waiting for a scan)
    /// before it fails; it is sent as soon as the device works.</summary>
    public int MessageWaitSeconds { get; set; } = 600;
    /// <summary>How long one call to the gateway may take before it counts as failed (the gateway is down or stuck).</summary>
    public int RequestTimeoutSeconds { get; set; } = 15;
    public DeviceEmulatorOptions Emulator { get; set; } = new();
}

/// <summary>The sandbox gateway's timings; the defaults are the real gateway's, tests shrink them.</summary>
public sealed class DeviceEmulatorOptions
{
    public int StartDelayMilliseconds { get; set; } = 2000;
    public int FirstQrMilliseconds { get; set; } = 60_000;
    public int NextQrMilliseconds { get; set; } = 20_000;
    public int QrCount { get; set; } = 6;
    /// <summary>From a scan or a typed pairing code to WORKING.</summary>
    public int LinkDelayMilliseconds { get; set; } = 1500;
    /// <summary>From the server's ack (sent) to the device's (delivered) for a message the gateway sent.</summary>
    public int AckDelayMilliseconds { get; set; } = 800;
}

/// <summary>Checks the device settings at start-up, one "Channel:Device:Key: problem" line each.</summary>
internal sealed class DeviceOptionsValidator : IValidateOptions<DeviceOptions>
{
    public ValidateOptionsResult Validate(string? name, DeviceOptions o)
    {
        var problems = Problems(o).ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static IEnumerable<string> Problems(DeviceOptions o)
    {
        const string s = DeviceOptions.Section;
        if (o.BaseUrl.Length > 0 && !(Uri.TryCreate(o.BaseUrl, UriKind.Absolute, out var u) && (u.Scheme == "http" || u.Scheme == "https")))
            yield return $"{s}:BaseUrl: must be an absolute http(s) URL (was '{o.BaseUrl}')";
        if (o.BaseUrl.Length > 0 && o.ApiKey.Length == 0) yield return $"{s}:ApiKey: required with a BaseUrl";
        if (o.BaseUrl.Length > 0 && o.WebhookHmacKey.Length < 16)
            yield return $"{s}:WebhookHmacKey: required with a BaseUrl, at least 16 characters (webhooks cannot be checked without it)";
        if (!System.Text.RegularExpressions.Regex.IsMatch(o.SessionName, "^[A-Za-z0-9_-]{1,54}$"))
            yield return $"{s}:SessionName: letters, digits, '_' or '-', at most 54 (was '{o.SessionName}')";
        foreach (var p in Range("WebhookMaxAgeSeconds", o.WebhookMaxAgeSeconds, 10, 3600)) yield return p;
        foreach (var p in Range("WatchdogIntervalSeconds", o.WatchdogIntervalSeconds, 2, 3600)) yield return p;
        foreach (var p in Range("RestartBaseSeconds", o.RestartBaseSeconds, 1, 3600)) yield return p;
        foreach (var p in Range("RestartMaxSeconds", o.RestartMaxSeconds, o.RestartBaseSeconds, 86_400)) yield return p;
        foreach (var p in Range("MessageWaitSeconds", o.MessageWaitSeconds, 10, 86_400)) yield return p;
        foreach (var p in Range("RequestTimeoutSeconds", o.RequestTimeoutSeconds, 1, 300)) yield return p;
        foreach (var p in Range("Emulator:StartDelayMilliseconds", o.Emulator.StartDelayMilliseconds, 0, 600_000)) yield return p;
        foreach (var p in Range("Emulator:FirstQrMilliseconds", o.Emulator.FirstQrMilliseconds, 50, 600_000)) yield return p;
        foreach (var p in Range("Emulator:NextQrMilliseconds", o.Emulator.NextQrMilliseconds, 50, 600_000)) yield return p;
        foreach (var p in Range("Emulator:QrCount", o.Emulator.QrCount, 1, 20)) yield return p;
        foreach (var p in Range("Emulator:LinkDelayMilliseconds", o.Emulator.LinkDelayMilliseconds, 0, 600_000)) yield return p;
        foreach (var p in Range("Emulator:AckDelayMilliseconds", o.Emulator.AckDelayMilliseconds, 0, 600_000)) yield return p;
    }

    private static IEnumerable<string> Range(string key, int value, int min, int max)
    {
        if (value < min || value > max) yield return $"{DeviceOptions.Section}:{key}: must be between {min} and {max} (was {value})";
    }
}
