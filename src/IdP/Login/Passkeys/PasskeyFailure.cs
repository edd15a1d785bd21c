namespace WaIdentity.IdP.Login.Passkeys;

/// <summary>Why a passkey ceremony (sign-in, second factor or registration) failed; <see cref="LoginMessages"/> words it.</summary>
internal enum PasskeyFailure
{
    /// <summary>Passkeys cannot work on this host (no relying party for it).</summary>
    Unavailable,
    /// <summary>The ceremony's options were used or timed out.</summary>
    Expired,
    /// <summary>The authenticator's answer did not verify.</summary>
    Failed,
    /// <summary>No passkey is stored for the credential.</summary>
    Unknown,
    /// <summary>The signature counter went back: a cloned authenticator is likely.</summary>
    Counter,
}
