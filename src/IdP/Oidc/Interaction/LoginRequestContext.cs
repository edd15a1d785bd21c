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
public sealed record LoginRequestContext(
    string ClientId,
    string ClientName,
    string? LoginHint,
    IReadOnlyList<string> AcrValues,
    string? UiLocales,
    bool ClientRequiresSecondFactor = false);

public interface ILoginRequestContextReader
{
    /// <summary>The context behind a returnUrl, or null when it is not a pending authorization request.</summary>
    Task<LoginRequestContext?> ReadAsync(string returnUrl, CancellationToken ct = default);
}
