using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using WaIdentity.Admin.Users;

namespace WaIdentity.Admin.Pages.Admin.Users;

internal sealed class IndexModel(IUserDirectory users) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    public IReadOnlyList<UserSummary> Results { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) =>
        Results = await users.SearchAsync(Q?.Trim() is { Length: > 0 and <= 100 } q ? q : null, 50, ct);
}
