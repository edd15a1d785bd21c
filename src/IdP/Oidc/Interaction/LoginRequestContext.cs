namespace WaIdentity.IdP.Oidc.Interaction;

/// <summary>
/// What a login page needs to know about the authorization request that sent the user to it. The authorize endpoint
/// redirects an unauthenticated user to <c>/login?returnUrl=...</c>; after <c>SessionSignIn</c> the login page
/// redirects back to that (local) returnUrl and the authorize endpoint resumes.
/// </summary>
/// <param name="LoginHint">From <c>login_hint</c>; login pages prefill the phone or email with it.</param>
/// <param name="AcrValues">From <c>acr_values</c>; contains <c>AuthenticationLevels.TwoFactors</c> for step-up.</param>
/// <param name="UiLocales">From <c>ui_locales</c>, space separated, preferred first.</param>
/// <param name="ClientRequiresSecondFactor">The client's <c>RequireSecondFactor</c> setting.</param>
/// <param name="Prompt">From <c>prompt</c>.</param>
/// <param name="MaxAge">From <c>max_age</c>, in seconds.</param>
/// <param name="LoginRequestedAt">When the authorize endpoint sent the user to log in for this request.</param>
internal sealed record LoginRequestContext(
    string ClientId,
    string ClientName,
    string? LoginHint,
    IReadOnlyList<string> AcrValues,
    string? UiLocales,
    bool ClientRequiresSecondFactor = false,
    IReadOnlyList<string>? Prompt = null,
    int? MaxAge = null,
    DateTimeOffset? LoginRequestedAt = null)
{
    /// <summary>The login_hint when it is an e-mail address (for the password and registration pages), else null.</summary>
    public string? EmailHint => LoginHint is { } hint && hint.Contains('@') ? hint : null;

    /// <summary>The login_hint when it is not an e-mail address (a phone number for the phone field), else null.</summary>
    public string? PhoneHint => LoginHint is { } hint && !hint.Contains('@') ? hint : null;

    /// <summary>
    /// True when the request asked for a new login (prompt=login, or a max_age) that the signed-in session predates:
    /// then a step-up is not enough, the user logs in again from the first factor.
    /// </summary>
    public bool DemandsNewLogin(System.Security.Claims.ClaimsPrincipal session, DateTimeOffset now) =>
        !Authorize.AuthenticationRequirement.IsFresh(session, LoginRequestedAt)
        && Authorize.AuthenticationRequirement.NewLoginReason(Prompt ?? [], MaxAge, session, now) is not null;
}

internal interface ILoginRequestContextReader
{
    /// <summary>The context behind a returnUrl, or null when it is not a pending authorization request.</summary>
    Task<LoginRequestContext?> ReadAsync(string returnUrl, CancellationToken ct = default);
}
