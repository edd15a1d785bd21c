using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using WaIdentity.Admin.Audit;
using WaIdentity.Admin.Webhooks;

namespace WaIdentity.Admin.Pages.Admin.Webhooks;

/// <summary>The gateway's deliveries to apps, dead letters first, each replayable (issue: "replayable from the portal").</summary>
internal sealed class IndexModel(IWebhookDeliveries deliveries, IAuditLog audit, IStringLocalizer<AdminText> text) : PageModel
{
    public static readonly string[] States = ["Dead", "Pending", "Delivered"];

    /// <summary>Dead by default: what needs an admin's attention.</summary>
    [BindProperty(SupportsGet = true)] public string State { get; set; } = "Dead";
    public IReadOnlyList<WebhookDeliveryRow> Rows { get; private set; } = [];
    [TempData] public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!States.Contains(State)) return BadRequest();
        Rows = await deliveries.ListAsync(State, 200, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostReplayAsync(string id, CancellationToken ct)
    {
        var before = await deliveries.ReplayAsync(id, ct);
        if (before is null) return NotFound();
        await audit.RecordAsync(AdminActor.Id(User), "webhook.replay", $"webhook:{id}",
            new { before.State, before.Attempts, before.LastError }, new { State = "Pending", Attempts = 0 }, ct);
        Message = text["Webhooks_Replayed", id];
        return RedirectToPage(new { State });
    }
}
