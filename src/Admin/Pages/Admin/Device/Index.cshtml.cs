using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using WaIdentity.Admin.Audit;
using WaIdentity.WaChannel.Device;

namespace WaIdentity.Admin.Pages.Admin.Device;

/// <summary>The linked gateway device: live status, the QR to scan (refreshed by a small script polling
/// <see cref="OnGetStatusAsync"/>), a pairing code, start/stop/restart/logout, recent events and the scan alert.</summary>
[Authorize(Policy = AdminPolicy.Name)]
[ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
public sealed class IndexModel(DeviceAdmin device, IAuditLog audit, IStringLocalizer<AdminText> text) : PageModel
{
    public DeviceOverview Overview { get; private set; } = null!;
    [TempData] public string? Message { get; set; }
    public string? PairingCode { get; private set; }
    public string? Error { get; private set; }
    [BindProperty] public string? Phone { get; set; }

    /// <summary>The host's per-request CSP nonce (the key its security-headers middleware uses, as the dev inbox does).</summary>
    public string Nonce => HttpContext.Items["csp-nonce"] as string ?? "";

    /// <summary>Why the device is FAILED, in words an admin can act on; null in any other state.</summary>
    public string? FailureReason => Overview.Status == DeviceStatus.Failed ? FailureReasonOf(Overview) : null;

    public async Task OnGetAsync(CancellationToken ct) => Overview = await device.GetOverviewAsync(ct);

    /// <summary>The buttons a state allows: a stopped device can only be started, a waiting or working one stopped or
    /// restarted, only a linked (WORKING) one logged out, a failed one restarted or stopped. A state the page does not
    /// know (a newer gateway) keeps every button.</summary>
    public static IReadOnlyList<string> ActionsFor(string status) => status switch
    {
        DeviceStatus.Stopped or DeviceStatus.Unknown => ["start"],
        DeviceStatus.Starting or DeviceStatus.ScanQrCode => ["stop", "restart"],
        DeviceStatus.Working => ["stop", "restart", "logout"],
        DeviceStatus.Failed => ["restart", "stop"],
        _ => ["start", "stop", "restart", "logout"],
    };

    /// <summary>The newest error recorded since the device failed (a watchdog restart that did not work), else the
    /// general cause: the connection to WhatsApp dropped or the phone removed the linked device.</summary>
    private string FailureReasonOf(DeviceOverview o) =>
        o.RecentEvents.FirstOrDefault(e => e.Kind == "error" && (o.StatusAt is null || e.At >= o.StatusAt))?.Detail
        ?? text["Device_FailedGeneric"];

    /// <summary>What the page's script polls: status, linked account, the QR as an image, and whether a scan is needed.</summary>
    public async Task<IActionResult> OnGetStatusAsync(CancellationToken ct)
    {
        var o = await device.GetOverviewAsync(ct);
        return new JsonResult(new
        {
            status = o.Status, account = o.AccountPhone, qr = QrImage(o.QrSvg), scanNeeded = o.OpenAlerts.Count > 0,
            actions = ActionsFor(o.Status), failureReason = o.Status == DeviceStatus.Failed ? FailureReasonOf(o) : null,
        });
    }

    public static string? QrImage(string? svg) =>
        svg is null ? null : "data:image/svg+xml;base64," + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(svg));

    public Task<IActionResult> OnPostStartAsync(CancellationToken ct) => ActAsync("start", () => device.StartAsync(ct), ct);
    public Task<IActionResult> OnPostStopAsync(CancellationToken ct) => ActAsync("stop", () => device.StopAsync(ct), ct);
    public Task<IActionResult> OnPostRestartAsync(CancellationToken ct) => ActAsync("restart", () => device.RestartAsync(ct), ct);
    public Task<IActionResult> OnPostLogoutAsync(CancellationToken ct) => ActAsync("logout", () => device.LogoutAsync(ct), ct);

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

    private async Task<IActionResult> ActAsync(string verb, Func<Task> action, CancellationToken ct)
    {
        var before = await device.GetOverviewAsync(ct);
        try { await action(); }
        catch (GatewayException e)
        {
            // The gateway's message is admin-readable and carries no secret (GatewayClient's contract).
            Error = e.Message;
            Overview = before;
            return Page();
        }
        var after = await device.GetOverviewAsync(ct);
        await audit.RecordAsync(AdminActor.Id(User), $"device.{verb}", $"device:{before.Session}",
            new { before.Status, before.ShouldRun }, new { after.Status, after.ShouldRun }, ct);
        Message = text["Device_Done", verb];
        return RedirectToPage();
    }
}
