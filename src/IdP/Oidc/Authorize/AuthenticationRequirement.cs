using System.Globalization;
using System.Security.Claims;
using WaIdentity.IdP.Sessions;

namespace WaIdentity.IdP.Oidc.Authorize;

/// <summary>
/// Decides whether the current session can answer an authorization request or the user must (re)authenticate:
/// no session, prompt=login, max_age exceeded, acr_values asking for more than the session has, or an
/// id_token_hint naming someone else. A login that happened after we asked for it satisfies prompt, max_age and
/// acr_values, so the resumed request cannot loop (and the ID token reports the acr really reached).
/// </summary>
internal static class AuthenticationRequirement
{
    /// <summary>
    /// Why the session cannot answer, and what <c>prompt=none</c> says about it (OIDC Core 3.1.2.6): a login the user
    /// must do is <c>login_required</c>; a signed-in user who only has to add a second factor is <c>interaction_required</c>.
    /// </summary>
    public sealed record Need(string Reason, string PromptNoneError)
    {
        public static Need Login(string reason) => new(reason, "login_required");
        public static Need Interaction(string reason) => new(reason, "interaction_required");
    }

    /// <param name="secondFactorRequired">The client or the login policy requires a second factor whatever acr_values says.</param>
    public static Need? Reason(AuthorizeRequest request, ClaimsPrincipal? session, DateTimeOffset? loginRequestedAt, string? hintSubject, DateTimeOffset now,
        bool secondFactorRequired = false)
    {
        if (session is null) return Need.Login("no session");
        if (hintSubject is not null && hintSubject != session.FindFirstValue(SessionClaims.Subject)) return Need.Login("id_token_hint names another user");
        if (IsFresh(session, loginRequestedAt)) return null;
        if (NewLoginReason(request.Prompt, request.MaxAge, session, now) is { } reason) return Need.Login(reason);
        if ((secondFactorRequired || request.AcrValues.Contains(AuthenticationLevels.TwoFactors)) && session.FindFirstValue(SessionClaims.Acr) != AuthenticationLevels.TwoFactors)
            return Need.Interaction("step-up to a second factor");
        return null;
    }

    /// <summary>prompt=login, or a max_age the session's auth_time exceeds: the user must log in again, first factor included.</summary>
    public static string? NewLoginReason(IReadOnlyList<string> prompt, int? maxAge, ClaimsPrincipal session, DateTimeOffset now) =>
        prompt.Contains("login") ? "prompt=login"
        : maxAge is { } m && (now - AuthTime(session)).TotalSeconds > m ? "max_age exceeded"
        : null;

    /// <summary>True when the session was authenticated after we sent the user to log in for this request.</summary>
    public static bool IsFresh(ClaimsPrincipal? session, DateTimeOffset? loginRequestedAt) =>
        session is not null && loginRequestedAt is { } asked && AuthTime(session) >= asked;

    /// <summary>The session's authentication time; a cookie issued before the claim carried milliseconds has none, and
    /// reads as long ago (max_age and prompt=login then ask for a new login, which is safe).</summary>
    public static DateTimeOffset AuthTime(ClaimsPrincipal session) =>
        long.TryParse(session.FindFirstValue(SessionClaims.AuthTime), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : DateTimeOffset.UnixEpoch;
}
