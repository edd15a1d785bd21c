using Microsoft.AspNetCore.Mvc;
using WaIdentity.Admin.Audit;
using WaIdentity.Admin.Clients;

namespace WaIdentity.Admin.Pages.Admin.Clients;

internal sealed class NewModel(IClientAdmin clients, IAuditLog audit) : ClientPageModel(clients)
{
    public bool Created { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var result = await Clients.CreateAsync(Input.ToForm(), ct);
        if (!result.Saved)
        {
            Attach(result.Problems);
            return Page();
        }
        await audit.RecordAsync(AdminActor.Id(User), "client.create", $"client:{Input.ClientId}", null,
            AuditView(await Clients.FindAsync(Input.ClientId, ct)), ct);
        (Created, Secret) = (true, result.Secret);
        return Page();
    }
}
