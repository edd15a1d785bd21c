using Microsoft.AspNetCore.Mvc.RazorPages;
using WaIdentity.Admin.Audit;
using WaIdentity.Admin.Users;

namespace WaIdentity.Admin.Pages.Admin;

internal sealed class AuditModel(IAuditLog audit, IUserDirectory users) : PageModel
{
    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];

    /// <summary>Each actor's email (or phone): the log stores the stable user id, people read the address.</summary>
    public Dictionary<string, string> ActorNames { get; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Entries = await audit.RecentAsync(200, ct);
        foreach (var id in Entries.Select(e => e.ActorId).Distinct())
            if (await users.FindAsync(id, ct) is { } actor && (actor.User.Email ?? actor.User.Phone) is { } name) ActorNames[id] = name;
    }

    public string Who(string actorId) => ActorNames.GetValueOrDefault(actorId) ?? actorId;
}
