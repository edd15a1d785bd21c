using WaIdentity.WaChannel;
using WaIdentity.WaChannel.Device;

namespace WaIdentity.IdP.Gateway.Device;

internal sealed record DeviceAccountView(string Phone, string? PushName);

/// <param name="Status">STOPPED, STARTING, SCAN_QR_CODE, WORKING or FAILED (the gateway's names).</param>
internal sealed record DeviceStatusView(string Name, string Status, DeviceAccountView? Me);

internal sealed record DeviceQrView(string Value, DateTimeOffset ExpiresAt, int LifetimeSeconds);

internal sealed record PairingCodeRequest(string PhoneNumber);

internal sealed record PairingCodeView(string Code);

internal sealed record DeviceActionView(string Action, string StatusBefore, string Status);

/// <summary>
/// The linked WhatsApp device for apps (scope wa.device), as WAHA/Wawp offer it: status, the QR (PNG or raw), a
/// pairing code, start/stop/restart/logout and a screenshot. While a fresh code is being generated a QR or code
/// request answers 422 "refreshing, retry in N s" (with Retry-After); reading the status, QR or screenshot more
/// often than every 2 s answers 429. The device's rules are WaChannel's (<see cref="DeviceActions"/>); this layer
/// only checks the token and turns results into HTTP.
/// </summary>
internal sealed class DeviceApi(GatewayAuthenticator auth, DeviceAdmin device, PollSpacing spacing)
{
    public Task<IResult> StatusAsync(HttpContext http) => WithDeviceAsync(http, "status", async (_, ct) =>
    {
        var s = await device.GetSessionAsync(ct);
        return Results.Json(new DeviceStatusView(s.Name, s.Status, s.AccountPhone is null ? null : new DeviceAccountView(s.AccountPhone, s.AccountName)), JsonBody.Snake);
    });

    public Task<IResult> QrAsync(HttpContext http, string? format) => WithDeviceAsync(http, "qr", async (_, ct) =>
    {
        if (format is not (null or "image" or "raw")) return GatewayProblem.Invalid("format is image (a PNG, the default) or raw.");
        var qr = await device.GetQrAsync(ct);
        if (qr.Value is null) return NoCode(http, qr.Status, qr.RetryInSeconds);
        return format == "raw"
            ? Results.Json(new DeviceQrView(qr.Value, qr.ExpiresAt!.Value, qr.LifetimeSeconds!.Value), JsonBody.Snake)
            : Results.Bytes(DeviceAdmin.RenderPng(qr.Value), "image/png");
    });

    public Task<IResult> PairingCodeAsync(HttpContext http) => WithDeviceAsync(http, null, async (_, ct) =>
    {
        var read = await JsonBody.ReadAsync(http.Request);
        if (!read.Passed) return GatewayProblem.Denied(http, read.Error);
        var body = read.Value;
        var phone = PhoneNumber.FromDigits(body.String("phone_number")?.Trim());
        if (phone is null)
            return GatewayProblem.Invalid("The phone number is not valid.", new Dictionary<string, string[]>
            {
                ["phone_number"] = ["phone_number must be the business number in international format, like +6281234567890."],
            });
        var pairing = await device.TryRequestPairingCodeAsync(phone, ct);
        return pairing.Code is null ? NoCode(http, pairing.Status, pairing.RetryInSeconds) : Results.Json(new PairingCodeView(pairing.Code), JsonBody.Snake);
    });

    public Task<IResult> ActAsync(HttpContext http, string action) => WithDeviceAsync(http, null, async (_, ct) =>
    {
        var result = await device.ActAsync(action, ct);
        if (!result.Done)
            return GatewayProblem.Write(409, "device-action-not-allowed", "Not possible in this state",
                $"{action} is not possible while the device is {result.StatusBefore}; possible now: {string.Join(", ", result.Allowed)}.",
                new Dictionary<string, object?> { ["status"] = result.StatusBefore, ["allowed"] = result.Allowed });
        return Results.Json(new DeviceActionView(result.Action, result.StatusBefore, result.StatusAfter), JsonBody.Snake);
    });

    public Task<IResult> ScreenshotAsync(HttpContext http) => WithDeviceAsync(http, "screenshot", async (_, ct) =>
        await device.GetScreenshotAsync(ct) is { } png ? Results.Bytes(png, "image/png")
            : GatewayProblem.NotFound("The gateway has no screenshot of the session (only browser-based engines take one)."));

    /// <summary>The token (scope wa.device), the device being on, the 2 s poll spacing for <paramref name="poll"/>,
    /// and gateway failures as 502.</summary>
    private async Task<IResult> WithDeviceAsync(HttpContext http, string? poll, Func<GatewayCaller, CancellationToken, Task<IResult>> action)
    {
        var authenticated = await auth.AuthenticateAsync(http, GatewayScopes.Device);
        if (!authenticated.Passed) return GatewayProblem.Denied(http, authenticated.Error);
        var caller = authenticated.Value;
        if (!device.IsActive)
            return GatewayProblem.Unavailable("device-off", "The linked device is off",
                "This server has no linked WhatsApp device (Channel:Device:Enabled is false).");
        if (poll is not null && await spacing.TooSoonAsync(caller.ClientId, poll, http.RequestAborted) is { } wait)
        {
            http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString();
            return GatewayProblem.Write(429, "rate-limited", "Too many requests",
                $"Poll the device no more often than every {PollSpacing.Interval.TotalSeconds:0} s; retry after the Retry-After seconds.");
        }
        try { return await action(caller, http.RequestAborted); }
        catch (GatewayException e)
        {
            return GatewayProblem.Write(502, "gateway-error", "The device gateway failed", e.Message);
        }
    }

    /// <summary>No QR or code now: being generated (422, retry in N s, as Wawp answers) or not waiting for a scan (409).</summary>
    private static IResult NoCode(HttpContext http, string status, int? retryIn)
    {
        if (retryIn is { } seconds)
        {
            http.Response.Headers.RetryAfter = seconds.ToString();
            return GatewayProblem.Write(422, "device-refreshing", "A fresh code is being generated",
                $"The device is {status} and a fresh code is being generated: refreshing, retry in {seconds} s.",
                new Dictionary<string, object?> { ["status"] = status, ["retry_after"] = seconds });
        }
        var hint = status switch
        {
            DeviceStatus.Working => "it is linked; log it out first to link another phone",
            DeviceStatus.Stopped => "start it first",
            _ => "restart it to get a new code",
        };
        return GatewayProblem.Write(409, "device-not-scanning", "The device is not waiting for a scan",
            $"The device is {status}: no code is on offer ({hint}).", new Dictionary<string, object?> { ["status"] = status });
    }
}
