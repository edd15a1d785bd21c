namespace WaIdentity.IdP.Login.Passkeys;

/// <summary>What the login pages' "Sign in with a passkey" form needs.</summary>
/// <param name="Conditional">Also offer passkeys in the page's username field (WebAuthn conditional mediation).</param>
internal sealed record PasskeySignInButton(string? ReturnUrl, bool Conditional);
