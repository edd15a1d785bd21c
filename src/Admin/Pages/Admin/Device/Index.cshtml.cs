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
    /// <summary>Seconds the page counts down for one QR before it fetches the next (the gateway rotates them).</summary>
    public const int QrSeconds = 30;

    public DeviceOverview Overview { get; private set; } = null!;
    [TempData] public string? Message { get; set; }
    public string? PairingCode { get; private set; }
    public string? Error { get; private set; }
    [BindProperty] public string? Phone { get; set; }

    /// <summary>The host's per-request CSP nonce (the key its security-headers middleware uses, as the dev inbox does).</summary>
    public string Nonce => HttpContext.Items["csp-nonce"] as string ?? "";

    public async Task OnGetAsync(CancellationToken ct) => Overview = await device.GetOverviewAsync(ct);

    /// <summary>What the page's script polls: status, linked account, the QR as an image, and whether a scan is needed.</summary>
    public async Task<IActionResult> OnGetStatusAsync(CancellationToken ct)
    {
        var o = await device.GetOverviewAsync(ct);
        return new JsonResult(new
        {
            status = o.Status, account = o.AccountPhone, qr = QrImage(o.QrSvg), scanNeeded = o.OpenAlerts.Count > 0,
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
