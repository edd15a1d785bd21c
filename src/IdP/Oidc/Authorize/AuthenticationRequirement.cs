using System.Security.Claims;
using WaIdentity.IdP.Sessions;

namespace WaIdentity.IdP.Oidc.Authorize;

/// <summary>
/// Decides whether the current session can answer an authorization request or the user must (re)authenticate:
/// no session, prompt=login, max_age exceeded, acr_values asking for more than the session has, or an
/// id_token_hint naming someone else. A login that happened after we asked for it satisfies prompt, max_age and
/// acr_values, so the resumed request cannot loop (and the ID token reports the acr really reached).
/// </summary>
public static class AuthenticationRequirement
{
    /// <param name="secondFactorRequired">The client or the login policy requires a second factor whatever acr_values says.</param>
    public static string? Reason(AuthorizeRequest request, ClaimsPrincipal? session, DateTimeOffset? loginRequestedAt, string? hintSubject, DateTimeOffset now,
        bool secondFactorRequired = false)
    {
        if (session is null) return "no session";
        var authTime = AuthTime(session);
        if (hintSubject is not null && hintSubject != session.FindFirstValue(SessionClaims.Subject)) return "id_token_hint names another user";
        if (IsFresh(session, loginRequestedAt)) return null;
        if (request.Prompt.Contains("login")) return "prompt=login";
        if (request.MaxAge is { } maxAge && (now - authTime).TotalSeconds > maxAge) return "max_age exceeded";
        if ((secondFactorRequired || request.AcrValues.Contains(AuthenticationLevels.TwoFactors)) && session.FindFirstValue(SessionClaims.Acr) != AuthenticationLevels.TwoFactors)
            return "step-up to a second factor";
        return null;
    }

    /// <summary>True when the session was authenticated after we sent the user to log in for this request.</summary>
    public static bool IsFresh(ClaimsPrincipal? session, DateTimeOffset? loginRequestedAt) =>
        session is not null && loginRequestedAt is { } asked && AuthTime(session).ToUnixTimeSeconds() >= asked.ToUnixTimeSeconds();

    public static DateTimeOffset AuthTime(ClaimsPrincipal session) =>
        DateTimeOffset.FromUnixTimeSeconds(long.Parse(session.FindFirstValue(SessionClaims.AuthTime)!));
}
