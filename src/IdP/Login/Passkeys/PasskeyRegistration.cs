using System.Security.Cryptography;
using System.Text.Json;
using Fido2NetLib;
using Fido2NetLib.Objects;
using Microsoft.AspNetCore.Identity;
using WaIdentity.IdP.Users;

namespace WaIdentity.IdP.Login.Passkeys;

/// <summary>A registration's outcome: the passkey added, or why not.</summary>
internal sealed record PasskeyRegistrationResult(Passkey? Added, PasskeyFailure? Failure);

/// <summary>
/// Registers a passkey for a signed-in user: creation options for a discoverable credential (excluding the ones the
/// user has), then the browser's answer checked by Fido2 against that ceremony's challenge, origin and RP ID.
/// Attestation is not asked for: the AAGUID is kept to tell the passkeys apart, not trusted.
/// </summary>
internal sealed class PasskeyRegistration(
    PasskeyRelyingParty relyingParty, PasskeyCeremonies ceremonies, PasskeyStore store, UserManager<IdpUser> users, TimeProvider clock,
    ILogger<PasskeyRegistration> log)
{
    /// <returns>The options for navigator.credentials.create (Fido2's JSON); null when passkeys are not available here.</returns>
    public async Task<string?> BeginAsync(HttpContext http, string userId, string sessionId, CancellationToken ct)
    {
        if (relyingParty.For(http) is not { } fido || await users.FindByIdAsync(userId) is not { } user) return null;
        var existing = await store.ListAsync(userId, ct);
        // One handle per user: random, and the same for each of their passkeys (an authenticator keeps one per user).
        var handle = existing.FirstOrDefault()?.UserHandle ?? Base64UrlText.Encode(RandomNumberGenerator.GetBytes(32));
        var account = user.Email ?? user.PhoneNumber ?? user.UserName ?? "";
        var options = fido.RequestNewCredential(new RequestNewCredentialParams
        {
            User = new Fido2User { Id = Base64UrlText.Decode(handle), Name = account, DisplayName = account },
            ExcludeCredentials = await store.DescriptorsAsync(userId, ct),
            AuthenticatorSelection = new AuthenticatorSelection
            {
                ResidentKey = ResidentKeyRequirement.Required, UserVerification = UserVerificationRequirement.Preferred,
            },
            AttestationPreference = AttestationConveyancePreference.None,
        });
        var json = options.ToJson();
        await ceremonies.BeginAsync(http, PasskeyPurpose.Register, userId, sessionId, json, ct);
        return json;
    }

    public async Task<PasskeyRegistrationResult> FinishAsync(HttpContext http, string userId, string sessionId, string? credentialJson, string name, CancellationToken ct)
    {
        if (relyingParty.For(http) is not { } fido) return new(null, PasskeyFailure.Unavailable);
        if (await ceremonies.TakeAsync(http, PasskeyPurpose.Register, userId, sessionId, ct) is not { } optionsJson) return new(null, PasskeyFailure.Expired);
        if (PasskeyJson.Parse<AuthenticatorAttestationRawResponse>(credentialJson) is not { } answer) return new(null, PasskeyFailure.Failed);
        RegisteredPublicKeyCredential credential;
        try
        {
            credential = await fido.MakeNewCredentialAsync(new MakeNewCredentialParams
            {
                AttestationResponse = answer,
                OriginalOptions = CredentialCreateOptions.FromJson(optionsJson),
                IsCredentialIdUniqueToUserCallback = async (p, c) => !await store.CredentialIdTakenAsync(Base64UrlText.Encode(p.CredentialId), c),
            }, ct);
        }
        catch (Fido2VerificationException e)
        {
            log.LogWarning("Passkey registration refused for user {UserId}: {Code}", userId, e.Code);
            return new(null, PasskeyFailure.Failed);
        }
        var passkey = new Passkey
        {
            Id = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant(),
            UserId = userId,
            CredentialId = Base64UrlText.Encode(credential.Id),
            PublicKey = credential.PublicKey,
            UserHandle = Base64UrlText.Encode(credential.User.Id),
            SignCount = credential.SignCount,
            Transports = PasskeyTransports.Join(credential.Transports),
            BackupEligible = credential.IsBackupEligible,
            BackedUp = credential.IsBackedUp,
            Aaguid = credential.AaGuid,
            Name = PasskeyStore.CleanName(name),
            CreatedAt = clock.GetUtcNow(),
        };
        await store.AddAsync(passkey, ct);
        log.LogInformation("Passkey {PasskeyId} registered for user {UserId}", passkey.Id, userId);
        return new(passkey, null);
    }
}

/// <summary>The browser's answer as posted in the form, read leniently: a malformed answer is a refusal, not a fault.</summary>
internal static class PasskeyJson
{
    public static T? Parse<T>(string? json) where T : class
    {
        if (string.IsNullOrEmpty(json) || json.Length > 64 * 1024) return null;
        try { return JsonSerializer.Deserialize<T>(json); }
        catch (JsonException) { return null; }
        catch (FormatException) { return null; }
    }
}
