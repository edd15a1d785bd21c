using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using WaIdentity.IdP.Oidc;
using WaIdentity.IdP.Oidc.Authorize;
using WaIdentity.IdP.Oidc.Clients;
using WaIdentity.IdP.Oidc.Consent;
using WaIdentity.IdP.Sessions;

namespace WaIdentity.IdP.Pages.Connect;

/// <summary>
/// Asks the signed-in user to allow a (third-party) client the requested scopes. Allow remembers the consent and
/// resumes the authorization request; Deny sends access_denied to the client.
/// </summary>
[Authorize(AuthenticationSchemes = SessionClaims.Scheme)]
internal sealed class ConsentModel(PendingAuthorizationStore pending, ClientRegistry clients, ConsentStore consents, IssuerResolver issuers) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "request_id")] public string RequestId { get; set; } = "";
    public string ClientName { get; private set; } = "";
    public IReadOnlyList<string> Scopes { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await LoadAsync(ct) is not { } found) return NotFound();
        Scopes = found.Request.Scopes;
        return Page();
    }

    public async Task<IActionResult> OnPostAllowAsync(CancellationToken ct)
    {
        if (await LoadAsync(ct) is not { } found) return NotFound();
        var request = found.Request;
        await consents.GrantAsync(User.FindFirstValue(SessionClaims.Subject)!, found.Row.ClientId, request.Scopes, ct);
        // prompt=consent is satisfied now: drop it so the resumed request does not ask again.
        var parameters = request.Parameters.ToDictionary();
        if (request.Prompt.Contains("consent")) parameters["prompt"] = string.Join(' ', request.Prompt.Where(p => p != "consent"));
        await pending.SaveAsync(new AuthorizeRequest(parameters), found.Row, loginRequested: false, ct);
        Response.Headers.Location = PendingAuthorizationStore.ResumeUrl(found.Row.Id);
        return StatusCode(StatusCodes.Status303SeeOther);
    }

    public async Task<IActionResult> OnPostDenyAsync(CancellationToken ct)
    {
        if (await LoadAsync(ct) is not { } found) return NotFound();
        await pending.DeleteAsync(found.Row.Id, ct);
        var result = AuthorizationResponseWriter.Error(HttpContext, found.Request, issuers.Resolve(HttpContext), "access_denied", "The user denied the request.");
        await result.ExecuteAsync(HttpContext);
        return new EmptyResult();
    }

    private async Task<(PendingAuthorization Row, AuthorizeRequest Request)?> LoadAsync(CancellationToken ct)
    {
        var found = await pending.FindAsync(RequestId, ct);
        if (found is null) return null;
        ClientName = (await clients.FindAsync(found.Value.Row.ClientId, ct))?.DisplayName ?? found.Value.Row.ClientId;
        return found;
    }
}
