using WaIdentity.WaChannel.Device;

namespace WaIdentity.IdP.Gateway.Device;

/// <summary>The device API's routes under /api/v1/device, each in /apidocs with its scope (wa.device).</summary>
internal static class DeviceEndpoints
{
    public static IServiceCollection AddDeviceApi(this IServiceCollection services)
    {
        services.AddScoped<DeviceApi>();
        services.AddScoped<PollSpacing>();
        return services;
    }

    public static void Map(RouteGroupBuilder api)
    {
        var device = api.MapGroup("/device").WithTags("Device");
        device.MapGet("", (HttpContext h, DeviceApi d) => d.StatusAsync(h))
            .WithName("GetDevice").WithSummary("The linked device's session status (scope wa.device)")
            .WithDescription("status is STOPPED, STARTING, SCAN_QR_CODE, WORKING or FAILED; me is the linked number once WORKING. "
                + "Poll no more often than every 2 s (429 with Retry-After otherwise).")
            .Produces<DeviceStatusView>().ProducesProblem(401).ProducesProblem(403).ProducesProblem(429).ProducesProblem(502).ProducesProblem(503);
        device.MapGet("/qr", (HttpContext h, string? format, DeviceApi d) => d.QrAsync(h, format))
            .WithName("GetDeviceQr").WithSummary("The QR to scan, as a PNG or (format=raw) its value and lifetime (scope wa.device)")
            .WithDescription("The first QR of a linking window lives 60 s, each next one 20 s (expires_at, lifetime_seconds). "
                + "422 device-refreshing \"retry in N s\" (with Retry-After) while a fresh code is being generated; 409 device-not-scanning "
                + "when the device is stopped or already linked. At most every 2 s.")
            .Produces(200, contentType: "image/png").Produces<DeviceQrView>(200, "application/json")
            .ProducesProblem(400).ProducesProblem(401).ProducesProblem(403).ProducesProblem(409).ProducesProblem(422).ProducesProblem(429).ProducesProblem(502).ProducesProblem(503);
        device.MapPost("/pairing-code", (HttpContext h, DeviceApi d) => d.PairingCodeAsync(h))
            .WithName("RequestDevicePairingCode").WithSummary("An 8-character code to type on the phone instead of scanning (scope wa.device)")
            .WithDescription("phone_number is the business number to link (international format). The code (XXXX-XXXX) works only "
                + "while the QR it replaces is on offer; 422 device-refreshing or 409 device-not-scanning as for the QR.")
            .Accepts<PairingCodeRequest>("application/json").Produces<PairingCodeView>()
            .ProducesProblem(400).ProducesProblem(401).ProducesProblem(403).ProducesProblem(409).ProducesProblem(422).ProducesProblem(502).ProducesProblem(503);
        foreach (var action in new[] { DeviceActions.Start, DeviceActions.Stop, DeviceActions.Restart, DeviceActions.Logout })
            device.MapPost("/" + action, (HttpContext h, DeviceApi d) => d.ActAsync(h, action))
                .WithName("Device" + char.ToUpperInvariant(action[0]) + action[1..]).WithSummary($"{action} the device session (scope wa.device)")
                .WithDescription("Start from STOPPED; stop or restart from STARTING, SCAN_QR_CODE, WORKING or FAILED; logout (unlink) only "
                    + "from WORKING. Anything else is 409 device-action-not-allowed, naming what is possible. A stopped device stays "
                    + "stopped (the watchdog leaves it alone) until started.")
                .Produces<DeviceActionView>().ProducesProblem(401).ProducesProblem(403).ProducesProblem(409).ProducesProblem(502).ProducesProblem(503);
        device.MapGet("/screenshot", (HttpContext h, DeviceApi d) => d.ScreenshotAsync(h))
            .WithName("GetDeviceScreenshot").WithSummary("A PNG screenshot of the gateway's session, for debugging (scope wa.device)")
            .Produces(200, contentType: "image/png").ProducesProblem(401).ProducesProblem(403).ProducesProblem(404).ProducesProblem(429).ProducesProblem(502).ProducesProblem(503);
    }
}
