using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using WaIdentity.IdP.Oidc.Clients;
using WaIdentity.IdP.Oidc.Consent;
using WaIdentity.IdP.Oidc.Par;
using WaIdentity.IdP.Oidc.Tokens;
using WaIdentity.IdP.Sessions;

namespace WaIdentity.IdP.Oidc.Authorize;

/// <summary>
/// GET/POST /connect/authorize (OIDC Core 3.1.2). Validates, then: sends the user to log in or consent (saving the
/// request server side, resumed by <c>?request_id=</c>), or issues a code to the redirect URI.
/// </summary>
internal sealed class AuthorizeEndpoint(
    AuthorizeRequestValidator validator, PendingAuthorizationStore pending, PushedAuthorizationStore pushedRequests, AuthorizationCodeIssuer codes, ConsentStore consents,
    JwtReader jwts, IssuerResolver issuers, TimeProvider clock, IOptions<OidcOptions> options,
    IOptionsMonitor<Login.LoginOptions> login, ILogger<AuthorizeEndpoint> log)
{
    public async Task<IResult> HandleAsync(HttpContext http)
    {
        var ct = http.RequestAborted;
        var source = http.Request.HasFormContentType ? (IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>>)await http.Request.ReadFormAsync(ct) : http.Request.Query;
        var issuer = issuers.Resolve(http);
        if (http.Request.Query["request_id"].ToString() is { Length: > 0 } requestId)
        {
            var resumed = await pending.FindAsync(requestId, ct);
            if (resumed is null) return AuthorizeErrorPage.Render(http, "invalid_request", "This sign-in request has expired. Please start again from the app.");
            // Only requests that passed validation are saved, a pushed one included: resuming one is not a new front-channel request.
            return await ProcessAsync(http, issuer, resumed.Value.Request, null, resumed.Value.Row, pushed: true);
        }
        var request = AuthorizeRequest.From(source);
        if (request["request_uri"] is { } requestUri) return await ProcessPushedAsync(http, issuer, request, requestUri);
        return await ProcessAsync(http, issuer, request, AuthorizeRequest.FindRepeated(source), null, pushed: false);
    }

    /// <summary>
    /// RFC 9126 4: only the pushed parameters count; the front channel carries client_id and request_uri, and the
    /// request_uri must be live, unused and the same client's. Until it is found the redirect URI is not known, so
    /// a bad request_uri gets the error page.
    /// </summary>
    private async Task<IResult> ProcessPushedAsync(HttpContext http, string issuer, AuthorizeRequest front, string requestUri)
    {
        if (front.ClientId is null) return AuthorizeErrorPage.Render(http, "invalid_request", "client_id is missing.");
        var pushed = await pushedRequests.TakeAsync(requestUri, front.ClientId, http.RequestAborted);
        if (pushed is null)
            return AuthorizeErrorPage.Render(http, "invalid_request_uri", "The request_uri is unknown, expired, already used or was pushed by another client.");
        return await ProcessAsync(http, issuer, pushed, null, null, pushed: true);
    }

    private async Task<IResult> ProcessAsync(HttpContext http, string issuer, AuthorizeRequest request, string? repeated, PendingAuthorization? saved, bool pushed)
    {
        var ct = http.RequestAborted;
        switch (await validator.ValidateAsync(request, repeated, pushed, ct))
        {
            case AuthorizeValidation.ErrorPage page:
                log.LogInformation("Authorize refused without redirect: {Error} {Description}", page.Error, page.Description);
                return AuthorizeErrorPage.Render(http, page.Error, page.Description);
            case AuthorizeValidation.RedirectError e:
                return AuthorizationResponseWriter.Error(http, request, issuer, e.Error, e.Description);
            case AuthorizeValidation.Valid valid:
                return await AuthorizeAsync(http, issuer, request, valid.Client, saved);
            default:
                throw new InvalidOperationException();
        }
    }

    private async Task<IResult> AuthorizeAsync(HttpContext http, string issuer, AuthorizeRequest request, OidcClient client, PendingAuthorization? saved)
    {
        var ct = http.RequestAborted;
        var session = (await http.AuthenticateAsync(SessionClaims.Scheme)).Principal;
        string? hintSubject = null;
        if (request.IdTokenHint is { } hint)
        {
            var token = await jwts.ReadIdTokenHintAsync(hint, issuer, ct);
            if (token is null) return AuthorizationResponseWriter.Error(http, request, issuer, "invalid_request", "id_token_hint is not a valid ID token from this issuer.");
            hintSubject = token.Subject;
        }

        var secondFactorRequired = client.RequireSecondFactor || login.CurrentValue.SecondFactor.Requirement == Login.SecondFactor.SecondFactorRequirement.Required;
        if (AuthenticationRequirement.Reason(request, session, saved?.LoginRequestedAt, hintSubject, clock.GetUtcNow(), secondFactorRequired) is { } need)
        {
            if (request.Prompt.Contains("none"))
                return AuthorizationResponseWriter.Error(http, request, issuer, need.PromptNoneError, $"Cannot answer without the user ({need.Reason}).");
            if (AuthenticationRequirement.IsFresh(session, saved?.LoginRequestedAt))
                return AuthorizationResponseWriter.Error(http, request, issuer, "login_required", $"The user must log in ({need.Reason}).");
            var id = await pending.SaveAsync(request, saved, loginRequested: true, ct);
            UiLocales.Apply(http, request.UiLocales);
            return SeeOther(http, QueryHelpers.AddQueryString(options.Value.LoginPath, "returnUrl", PendingAuthorizationStore.ResumeUrl(id)));
        }

        var userId = session!.FindFirstValue(SessionClaims.Subject)!;
        if (!client.FirstParty && (request.Prompt.Contains("consent") || !await consents.CoversAsync(userId, client.ClientId, request.Scopes, ct)))
        {
            if (request.Prompt.Contains("none"))
                return AuthorizationResponseWriter.Error(http, request, issuer, "consent_required", "The user has not allowed this client these scopes.");
            var id = await pending.SaveAsync(request, saved, loginRequested: false, ct);
            return SeeOther(http, $"{OidcConstants.ConsentPath}?request_id={Uri.EscapeDataString(id)}");
        }

        var code = await codes.IssueAsync(request, FromSession(session!), ct);
        if (saved is not null) await pending.DeleteAsync(saved.Id, ct);
        return AuthorizationResponseWriter.Write(http, request, issuer, new Dictionary<string, string?> { ["code"] = code });
    }

    public static Authentication FromSession(ClaimsPrincipal session) => new(
        session.FindFirstValue(SessionClaims.Subject)!, session.FindFirstValue(SessionClaims.SessionId)!,
        AuthenticationRequirement.AuthTime(session),
        string.Join(' ', session.FindAll(SessionClaims.Amr).Select(c => c.Value)), session.FindFirstValue(SessionClaims.Acr)!);

    private static IResult SeeOther(HttpContext http, string location)
    {
        http.Response.Headers.Location = location;
        http.Response.Headers.CacheControl = "no-store";
        return Results.StatusCode(StatusCodes.Status303SeeOther);
    }
}
