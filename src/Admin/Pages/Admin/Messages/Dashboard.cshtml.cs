using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using WaIdentity.WaChannel.MessageLog;

namespace WaIdentity.Admin.Pages.Admin.Messages;

internal sealed class DashboardModel(DeliveryStatistics statistics) : PageModel
{
    [BindProperty(SupportsGet = true)] public int Hours { get; set; } = 24;
    public DeliveryDashboard? Dashboard { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => Dashboard = await statistics.ReadAsync(Math.Clamp(Hours, 1, 168), ct);
}
