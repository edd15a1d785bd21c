using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using WaIdentity.Admin.Audit;
using WaIdentity.Admin.Clients;

namespace WaIdentity.Admin.Pages.Admin.Clients;

internal sealed class EditModel(IClientAdmin clients, IAuditLog audit, IStringLocalizer<AdminText> text) : ClientPageModel(clients)
{
    public bool Disabled { get; private set; }
    [TempData] public string? Message { get; set; }

    /// <summary>The panel's rows: element key, label, URL.</summary>
    public IEnumerable<(string Key, string Label, string Url)> EndpointRows(IStringLocalizer<AdminText> t)
    {
        var e = Clients.Endpoints(HttpContext);
        yield return ("issuer", t["Clients_Issuer"], e.Issuer);
        yield return ("discovery", t["Clients_Discovery"], e.Discovery);
        yield return ("authorize", t["Clients_AuthorizeEndpoint"], e.Authorization);
        yield return ("token", t["Clients_TokenEndpoint"], e.Token);
        yield return ("userinfo", t["Clients_UserInfoEndpoint"], e.UserInfo);
        yield return ("end-session", t["Clients_EndSessionEndpoint"], e.EndSession);
        yield return ("jwks", t["Clients_Jwks"], e.Jwks);
    }

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(string id, CancellationToken ct)
    {
        var before = await Clients.FindAsync(id, ct);
        if (before is null) return NotFound();
        Input.ClientId = id;
        Disabled = before.Disabled;
        var result = await Clients.UpdateAsync(Input.ToForm(), ct);
        if (!result.Saved)
        {
            Attach(result.Problems);
            return Page();
        }
        await audit.RecordAsync(AdminActor.Id(User), "client.update", $"client:{id}", AuditView(before), AuditView(await Clients.FindAsync(id, ct)), ct);
        Secret = result.Secret;
        Message = text["Settings_Saved"];
        if (Secret is null) return RedirectToPage(new { id });
        await LoadAsync(id, ct);
        return Page();
    }

    public Task<IActionResult> OnPostDisableAsync(string id, CancellationToken ct) => ToggleAsync(id, true, ct);

    public Task<IActionResult> OnPostEnableAsync(string id, CancellationToken ct) => ToggleAsync(id, false, ct);

    public async Task<IActionResult> OnPostRotateAsync(string id, CancellationToken ct)
    {
        var before = await Clients.FindAsync(id, ct);
        var secret = await Clients.RotateSecretAsync(id, ct);
        if (secret is null) return NotFound();
        // The settings before and after show nothing else moved; the secret itself never reaches the log.
        var after = await Clients.FindAsync(id, ct);
        await audit.RecordAsync(AdminActor.Id(User), "client.rotate-secret", $"client:{id}",
            new { Client = AuditView(before), Secret = "(set)" }, new { Client = AuditView(after), Secret = "(replaced)" }, ct);
        await LoadAsync(id, ct);
        Secret = secret;
        return Page();
    }

    public async Task<IActionResult> OnPostDeleteAsync(string id, CancellationToken ct)
    {
        var before = await Clients.FindAsync(id, ct);
        if (before is null || !await Clients.DeleteAsync(id, ct)) return NotFound();
        await audit.RecordAsync(AdminActor.Id(User), "client.delete", $"client:{id}", AuditView(before), null, ct);
        TempData["Message"] = text["Clients_Deleted", id].Value;
        return RedirectToPage("Index");
    }

    private async Task<IActionResult> ToggleAsync(string id, bool disabled, CancellationToken ct)
    {
        var before = await Clients.FindAsync(id, ct);
        if (before is null || !await Clients.SetDisabledAsync(id, disabled, ct)) return NotFound();
        await audit.RecordAsync(AdminActor.Id(User), disabled ? "client.disable" : "client.enable", $"client:{id}",
            AuditView(before), AuditView(await Clients.FindAsync(id, ct)), ct);
        Message = disabled ? text["Clients_DisabledDone"] : text["Clients_EnabledDone"];
        return RedirectToPage(new { id });
    }

    private async Task<bool> LoadAsync(string id, CancellationToken ct)
    {
        var client = await Clients.FindAsync(id, ct);
        if (client is null) return false;
        ModelState.Clear();
        Input = ClientInput.From(client.Settings);
        Disabled = client.Disabled;
        return true;
    }
}
