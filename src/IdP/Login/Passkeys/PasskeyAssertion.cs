using Fido2NetLib;
using Fido2NetLib.Exceptions;
using Fido2NetLib.Objects;
using WaIdentity.IdP.Sessions;

namespace WaIdentity.IdP.Login.Passkeys;

/// <summary>A checked passkey: whose it is and the amr it proves, or why it was refused.</summary>
/// <param name="UserVerified">The authenticator verified the user (PIN or biometric): the passkey alone is two factors.</param>
internal sealed record PasskeyCheck(string? UserId, IReadOnlyList<string>? Amr, bool UserVerified, PasskeyFailure? Failure)
{
    public bool Succeeded => UserId is not null;
    public static PasskeyCheck Failed(PasskeyFailure failure) => new(null, null, false, failure);
}

/// <summary>
/// Authentication with a passkey: a sign-in with a discoverable credential (no user known yet, the authenticator
/// names one through the user handle), or a second factor for a known user (only their passkeys are allowed).
/// </summary>
internal sealed class PasskeyAssertion(
    PasskeyRelyingParty relyingParty, PasskeyCeremonies ceremonies, PasskeyStore store, TimeProvider clock, ILogger<PasskeyAssertion> log)
{
    /// <summary>The authenticator data flag "user verified" (WebAuthn §6.1, bit 2 of the flags byte).</summary>
    private const byte UserVerifiedFlag = 0x04;
    private const int FlagsOffset = 32;

    /// <param name="userId">The user of a second factor; null for a sign-in.</param>
    /// <returns>The options for navigator.credentials.get (Fido2's JSON); null when passkeys are not available here.</returns>
    public async Task<string?> BeginAsync(HttpContext http, PasskeyPurpose purpose, string? userId, CancellationToken ct)
    {
        if (relyingParty.For(http) is not { } fido) return null;
        var options = fido.GetAssertionOptions(new GetAssertionOptionsParams
        {
            AllowedCredentials = userId is null ? [] : await store.DescriptorsAsync(userId, ct),
            UserVerification = UserVerificationRequirement.Preferred,
        });
        var json = options.ToJson();
        await ceremonies.BeginAsync(http, purpose, userId, null, json, ct);
        return json;
    }

    public async Task<PasskeyCheck> FinishAsync(HttpContext http, PasskeyPurpose purpose, string? userId, string? credentialJson, CancellationToken ct)
    {
        if (relyingParty.For(http) is not { } fido) return PasskeyCheck.Failed(PasskeyFailure.Unavailable);
        if (await ceremonies.TakeAsync(http, purpose, userId, null, ct) is not { } optionsJson) return PasskeyCheck.Failed(PasskeyFailure.Expired);
        if (PasskeyJson.Parse<AuthenticatorAssertionRawResponse>(credentialJson) is not { Response: not null } answer) return PasskeyCheck.Failed(PasskeyFailure.Failed);
        var credentialId = answer.RawId is { Length: > 0 } raw ? Base64UrlText.Encode(raw) : answer.Id ?? "";
        var stored = await store.FindByCredentialIdAsync(credentialId, ct);
        // A sign-in names its user only through the user handle, so it must be there and be this passkey's.
        var handle = answer.Response.UserHandle is { Length: > 0 } h ? Base64UrlText.Encode(h) : null;
        if (stored is null || (userId is not null && stored.UserId != userId) || (userId is null && handle != stored.UserHandle) ||
            (handle is not null && handle != stored.UserHandle))
            return PasskeyCheck.Failed(PasskeyFailure.Unknown);

        VerifyAssertionResult verified;
        try
        {
            verified = await fido.MakeAssertionAsync(new MakeAssertionParams
            {
                AssertionResponse = answer,
                OriginalOptions = AssertionOptions.FromJson(optionsJson),
                StoredPublicKey = stored.PublicKey,
                StoredSignatureCounter = (uint)stored.SignCount,
                IsUserHandleOwnerOfCredentialIdCallback = (p, _) => Task.FromResult(
                    Base64UrlText.Encode(p.UserHandle) == stored.UserHandle && Base64UrlText.Encode(p.CredentialId) == stored.CredentialId),
            }, ct);
        }
        catch (Fido2VerificationException e) when (e.Code == Fido2ErrorCode.InvalidSignCount)
        {
            return CounterWentBack(stored);
        }
        catch (Fido2VerificationException e)
        {
            log.LogWarning("Passkey {PasskeyId} refused: {Code}", stored.Id, e.Code);
            return PasskeyCheck.Failed(PasskeyFailure.Failed);
        }
        // WebAuthn §7.2 step 21: when either counter is nonzero the new one must be greater. The library lets a new 0
        // pass after a nonzero one; a clone or a reset authenticator is refused here too.
        if (stored.SignCount > 0 && verified.SignCount <= stored.SignCount) return CounterWentBack(stored);
        if (!await store.RecordUseAsync(stored, verified.SignCount, verified.IsBackedUp, clock.GetUtcNow(), ct)) return CounterWentBack(stored);

        var userVerified = answer.Response.AuthenticatorData is { Length: > FlagsOffset } data && (data[FlagsOffset] & UserVerifiedFlag) != 0;
        return new PasskeyCheck(stored.UserId, Amr(stored, userVerified), userVerified, null);
    }

    /// <summary>
    /// "swk" for a passkey that may be synced (backup eligible: its key leaves the device), "hwk" for one bound to its
    /// authenticator; "user" when the authenticator verified the user.
    /// </summary>
    public static IReadOnlyList<string> Amr(Passkey passkey, bool userVerified) =>
        [passkey.BackupEligible ? AuthenticationLevels.AmrSoftwareKey : AuthenticationLevels.AmrHardwareKey, .. userVerified ? [AuthenticationLevels.AmrUserPresence] : Array.Empty<string>()];

    private PasskeyCheck CounterWentBack(Passkey stored)
    {
        // The spec's signal of a cloned authenticator: refused, and said in the log for the operator.
        log.LogWarning("Passkey {PasskeyId} of user {UserId} answered with a signature counter that did not increase; refused (possible clone)", stored.Id, stored.UserId);
        return PasskeyCheck.Failed(PasskeyFailure.Counter);
    }
}
