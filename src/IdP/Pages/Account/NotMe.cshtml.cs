using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using WaIdentity.IdP.Account;

namespace WaIdentity.IdP.Pages.Account;

/// <summary>
/// The "this was not me" link from the send-code reply. GET only shows a button: link previews in chat apps fetch
/// URLs, so the session ends on the (antiforgery-protected) POST, never on the GET.
/// </summary>
internal sealed class NotMeModel(NotMeLinks links) : PageModel
{
    /// <summary>"ask", "ended" or "dead".</summary>
    public string State { get; private set; } = "ask";

    public async Task OnGetAsync(string token, CancellationToken ct) =>
        State = await links.IsLiveAsync(token, ct) ? "ask" : "dead";

    public async Task OnPostAsync(string token, CancellationToken ct) =>
        State = await links.RedeemAsync(token, ct) ? "ended" : "dead";
}
