using Microsoft.AspNetCore.Mvc.RazorPages;
using WaIdentity.Admin.Clients;

namespace WaIdentity.Admin.Pages.Admin.Clients;

internal sealed class IndexModel(IClientAdmin clients) : PageModel
{
    public IReadOnlyList<ClientView> List { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => List = await clients.ListAsync(ct);
}
