using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using WaIdentity.Admin.Clients;

namespace WaIdentity.Admin.Pages.Admin.Clients;

[Authorize(Policy = AdminPolicy.Name)]
public sealed class IndexModel(IClientAdmin clients) : PageModel
{
    public IReadOnlyList<ClientView> List { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => List = await clients.ListAsync(ct);
}
