using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.WebUtilities;
using WaIdentity.IdP.Oidc.Authorize;
using WaIdentity.IdP.Oidc.Clients;
using WaIdentity.IdP.Oidc.Tokens;
using WaIdentity.IdP.Sessions;

namespace WaIdentity.IdP.Oidc.Logout;

/// <summary>
/// GET/POST /connect/endsession (OIDC RP-Initiated Logout 1.0). A valid id_token_hint for the current session is
/// the confirmation (ASVS 10.6.2): the session ends server side, then the browser goes to the post_logout_redirect_uri
/// if it is registered for that client, with state. Without a hint the user confirms on /logout.
/// </summary>
internal sealed class EndSessionEndpoint(JwtReader jwts, ClientRegistry clients, SessionSignIn sessions, IssuerResolver issuers)
{
    public const string ConfirmPath = "/logout";

    public async Task<IResult> HandleAsync(HttpContext http)
    {
        var ct = http.RequestAborted;
        var p = http.Request.HasFormContentType ? (IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>>)await http.Request.ReadFormAsync(ct) : http.Request.Query;
        var request = AuthorizeRequest.From(p);
        var hint = request.IdTokenHint is { } h ? await jwts.ReadIdTokenHintAsync(h, issuers.Resolve(http), ct) : null;
        if (request.IdTokenHint is not null && hint is null)
            return AuthorizeErrorPage.Render(http, "invalid_request", "id_token_hint is not a valid ID token from this issuer.");
        var clientId = hint?.Audiences.FirstOrDefault() ?? request.ClientId;
        if (request.ClientId is not null && clientId != request.ClientId)
            return AuthorizeErrorPage.Render(http, "invalid_request", "client_id does not match the id_token_hint.");

        string? target = null;
        if (request["post_logout_redirect_uri"] is { } uri)
        {
            var client = clientId is null ? null : await clients.FindAsync(clientId, ct);
            if (client is null || !client.PostLogoutRedirectUriList.Contains(uri, StringComparer.Ordinal))
                return AuthorizeErrorPage.Render(http, "invalid_request", "post_logout_redirect_uri is not registered for this client.");
            target = request.State is null ? uri : QueryHelpers.AddQueryString(uri, "state", request.State);
        }

        var session = (await http.AuthenticateAsync(SessionClaims.Scheme)).Principal;
        var sid = session?.FindFirstValue(SessionClaims.SessionId);
        if (session is not null && (hint is null || !hint.TryGetPayloadValue<string>("sid", out var hintSid) || hintSid != sid))
        {
            // No proof the request comes from the app this session signed in to: ask the user (forced-logout DoS).
            var confirm = target is null ? ConfirmPath : QueryHelpers.AddQueryString(ConfirmPath, "next", target);
            return SeeOther(http, confirm);
        }
        if (session is not null) await sessions.SignOutAsync(http, ct);
        return SeeOther(http, target ?? "/logout?done=1");
    }

    private static IResult SeeOther(HttpContext http, string location)
    {
        http.Response.Headers.Location = location;
        http.Response.Headers.CacheControl = "no-store";
        return Results.StatusCode(StatusCodes.Status303SeeOther);
    }
}
