using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using WaIdentity.IdP.Gateway;
using WaIdentity.IdP.Hosting;
using WaIdentity.IdP.Oidc.Clients;
using WaIdentity.IdP.Sessions;

namespace WaIdentity.IdP.Pages.Connect;

/// <summary>
/// Logout confirmation, for logout requests that carry no proof they come from the signed-in app (no or foreign
/// id_token_hint), and for a browser sent by the account API's GET /api/auth/logout. The button ends both the IdP
/// session and the account API's (wa_token). After logging out, goes on only to a post-logout URI some client
/// registered, or stays here with a link to sign in again.
/// </summary>
internal sealed class LogoutModel(SessionSignIn sessions, ClientRegistry clients, AccountApiSession apiSession) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Next { get; set; }
    [BindProperty(SupportsGet = true)] public bool Done { get; set; }
    public bool SignedIn { get; private set; }

    /// <summary>
    /// The confirmation form's POST answers 303 to <see cref="Next"/>, and browsers hold that redirect to this page's
    /// CSP form-action: allow the origin of a registered post-logout URI, and only that one.
    /// </summary>
    public async Task OnGetAsync(CancellationToken ct)
    {
        SignedIn = User.Identity?.IsAuthenticated == true || await AccountApiSession.SubjectAsync(HttpContext) is not null;
        if (await IsRegisteredAsync(Next, ct) && Uri.TryCreate(Next, UriKind.Absolute, out var uri)
            && uri.GetLeftPart(UriPartial.Authority) is var origin && !origin.Any(c => char.IsWhiteSpace(c) || c is ';' or ',' or '\''))
            HttpContext.AllowFormActionTo(origin);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await sessions.SignOutAsync(HttpContext, ct);
        await apiSession.EndAsync(HttpContext, ct);
        var target = await IsRegisteredAsync(Next, ct) ? Next! : "/logout?done=true";
        Response.Headers.Location = target;
        return StatusCode(StatusCodes.Status303SeeOther);
    }

    private async Task<bool> IsRegisteredAsync(string? next, CancellationToken ct)
    {
        if (next is null) return false;
        // The end-session endpoint appends state to a registered URI; nothing else is accepted.
        return (await clients.ListAsync(ct)).Any(c => c.PostLogoutRedirectUriList.Any(u =>
            next == u || next.StartsWith(u + (u.Contains('?') ? "&state=" : "?state="), StringComparison.Ordinal)));
    }
}
