using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace WaIdentity.Admin.Pages.Admin;

[Authorize(Policy = AdminPolicy.Name)]
public sealed class IndexModel : PageModel
{
    public void OnGet() { }
}
