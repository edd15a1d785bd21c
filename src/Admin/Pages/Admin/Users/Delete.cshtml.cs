using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using WaIdentity.Admin.Audit;
using WaIdentity.Admin.Users;

namespace WaIdentity.Admin.Pages.Admin.Users;

/// <summary>Deleting is a separate confirmation page, so one stray click on the user page cannot do it.</summary>
internal sealed class DeleteModel(IUserDirectory users, IAuditLog audit) : PageModel
{
    public UserDetail? Detail { get; private set; }

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken ct)
    {
        Detail = await users.FindAsync(id, ct);
        return Detail is null ? NotFound() : Page();
    }

    public async Task<IActionResult> OnPostAsync(string id, CancellationToken ct)
    {
        var before = await users.FindAsync(id, ct);
        if (before is null) return NotFound();
        await users.DeleteAsync(id, ct);
        await audit.RecordAsync(AdminActor.Id(User), "user.delete", $"user:{id}", before.User, null, ct);
        return RedirectToPage("/Admin/Users/Index");
    }
}
