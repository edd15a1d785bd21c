using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using WaIdentity.Admin.Audit;

namespace WaIdentity.Admin.Pages.Admin;

[Authorize(Policy = AdminPolicy.Name)]
public sealed class AuditModel(IAuditLog audit) : PageModel
{
    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Entries = await audit.RecentAsync(200, ct);
}
