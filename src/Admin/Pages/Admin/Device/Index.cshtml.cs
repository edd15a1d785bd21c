using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using WaIdentity.Admin.Audit;
using WaIdentity.WaChannel.Device;

namespace WaIdentity.Admin.Pages.Admin.Device;

/// <summary>The linked gateway device: live status, the QR to scan (refreshed by a small script polling
/// <see cref="OnGetStatusAsync"/>), a pairing code, start/stop/restart/logout, recent events and the scan alert.</summary>
internal sealed class IndexModel(DeviceAdmin device, IAuditLog audit, IStringLocalizer<AdminText> text, TimeProvider clock, IScriptNonce nonce) : PageModel
{
    public DeviceOverview Overview { get; private set; } = null!;
    [TempData] public string? Message { get; set; }
    public string? PairingCode { get; private set; }
    public string? Error { get; private set; }
    [BindProperty] public string? Phone { get; set; }

    /// <summary>The host's per-response CSP nonce for the page's inline script.</summary>
    public string Nonce => nonce.Of(HttpContext);

    /// <summary>Why the device is FAILED, in words an admin can act on; null in any other state.</summary>
    public string? FailureReason => Overview.Status == DeviceStatus.Failed ? FailureReasonOf(Overview) : null;

    public async Task OnGetAsync(CancellationToken ct) => Overview = await device.GetOverviewAsync(ct);

    /// <summary>The buttons a state allows (<see cref="DeviceActions"/>; the service refuses the others too).</summary>
    public static IReadOnlyList<string> ActionsFor(string status) => DeviceActions.For(status);

    /// <summary>The newest error recorded since the device failed (a watchdog restart that did not work), else the
    /// general cause: the connection to WhatsApp dropped or the phone removed the linked device.</summary>
    private string FailureReasonOf(DeviceOverview o) =>
        o.RecentEvents.FirstOrDefault(e => e.Kind == "error" && (o.StatusAt is null || e.At >= o.StatusAt))?.Detail
        ?? text["Device_FailedGeneric"];

    /// <summary>"start" → "Start": the button's resource key.</summary>
    private static string Verb(string action) => char.ToUpperInvariant(action[0]) + action[1..];

    /// <summary>What the page's script polls: status, linked account, the QR as an image, and whether a scan is needed.</summary>
    public async Task<IActionResult> OnGetStatusAsync(CancellationToken ct)
    {
        var o = await device.GetOverviewAsync(ct);
        return new JsonResult(new
        {
            status = o.Status, account = o.AccountPhone, qr = QrImage(o.QrSvg), scanNeeded = o.OpenAlerts.Count > 0,
            actions = ActionsFor(o.Status), failureReason = o.Status == DeviceStatus.Failed ? FailureReasonOf(o) : null,
            qrSecondsLeft = QrSecondsLeft(o), qrLifetime = o.Qr?.LifetimeSeconds, refreshing = o.Qr?.Refreshing == true,
        });
    }

    /// <summary>Seconds until the current QR expires (the gateway's lifetime for it: the first lives longer), or null.</summary>
    public int? QrSecondsLeft(DeviceOverview o) =>
        o.Qr?.ExpiresAt is { } at ? Math.Max(0, (int)Math.Ceiling((at - clock.GetUtcNow()).TotalSeconds)) : null;

    public static string? QrImage(string? svg) =>
        svg is null ? null : "data:image/svg+xml;base64," + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(svg));

    public Task<IActionResult> OnPostStartAsync(CancellationToken ct) => ActAsync(DeviceActions.Start, ct);
    public Task<IActionResult> OnPostStopAsync(CancellationToken ct) => ActAsync(DeviceActions.Stop, ct);
    public Task<IActionResult> OnPostRestartAsync(CancellationToken ct) => ActAsync(DeviceActions.Restart, ct);
    public Task<IActionResult> OnPostLogoutAsync(CancellationToken ct) => ActAsync(DeviceActions.Logout, ct);

    public async Task<IActionResult> OnPostPairAsync(CancellationToken ct)
    {
        try
        {
            PairingCode = await device.RequestPairingCodeAsync(Phone?.Trim() ?? "", ct);
            await audit.RecordAsync(AdminActor.Id(User), "device.pairing-code", "device", null, new { Phone }, ct);
        }
        catch (Exception e) when (e is ArgumentException or GatewayException)
        {
            Error = e is ArgumentException ? text["Device_BadPhone"] : e.Message;
        }
        Overview = await device.GetOverviewAsync(ct);
        return Page();
    }

    private async Task<IActionResult> ActAsync(string verb, CancellationToken ct)
    {
        var before = await device.GetOverviewAsync(ct);
        DeviceActionResult result;
        try { result = await device.ActAsync(verb, ct); }
        catch (GatewayException e)
        {
            // The gateway's message is admin-readable and carries no secret (DeviceGatewayClient's contract).
            Error = e.Message;
            Overview = before;
            return Page();
        }
        if (!result.Done)
        {
            Error = text["Device_NotAllowed", text["Device_" + Verb(verb)], result.StatusBefore,
                string.Join(", ", result.Allowed.Select(a => text["Device_" + Verb(a)].Value))];
            Response.StatusCode = StatusCodes.Status409Conflict;
            Overview = await device.GetOverviewAsync(ct);
            return Page();
        }
        var after = await device.GetOverviewAsync(ct);
        await audit.RecordAsync(AdminActor.Id(User), $"device.{verb}", $"device:{before.Session}",
            new { before.Status, before.ShouldRun }, new { after.Status, after.ShouldRun }, ct);
        Message = text["Device_Done", text["Device_" + Verb(verb)]];
        return RedirectToPage();
    }
}
