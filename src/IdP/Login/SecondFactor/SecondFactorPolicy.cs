using Microsoft.Extensions.Options;
using WaIdentity.IdP.Login.Passkeys;
using WaIdentity.IdP.Users;

namespace WaIdentity.IdP.Login.SecondFactor;

/// <summary>The second factors a user can use after a given first factor.</summary>
/// <param name="Phone">The verified phone for a WhatsApp code, unless the phone was the first factor.</param>
/// <param name="Passkey">The user has a passkey, and a passkey was not the first factor.</param>
internal sealed record SecondFactorMethods(bool Totp, string? Phone, bool Passkey = false)
{
    public bool Any => Totp || Phone is not null || Passkey;
}

/// <summary>
/// Decides when a second factor is asked: the client requires it, the authorize request asks for acr loa:2, the policy
/// is Required, or the policy is Optional and the user has an authenticator app.
/// </summary>
internal sealed class SecondFactorPolicy(
    IOptionsMonitor<LoginOptions> options, TotpStore totp, PasskeyStore passkeys, PasskeyRelyingParty relyingParty,
    ISecondFactorDemand demands)
{
    public async Task<bool> RequiredAsync(string userId, string? returnUrl, CancellationToken ct)
    {
        if (await DemandedByRequestAsync(returnUrl, ct)) return true;
        return options.CurrentValue.SecondFactor.Requirement switch
        {
            SecondFactorRequirement.Required => true,
            SecondFactorRequirement.Optional => await totp.IsEnabledAsync(userId, ct),
            _ => false,
        };
    }

    /// <summary>The client behind the returnUrl requires a second factor, or its request asked for loa:2.</summary>
    public async Task<bool> DemandedByRequestAsync(string? returnUrl, CancellationToken ct) =>
        returnUrl is not null && await demands.DemandedAsync(ReturnUrls.Sanitize(returnUrl), ct);

    public async Task<SecondFactorMethods> MethodsAsync(IdpUser user, IEnumerable<string> firstAmr, CancellationToken ct)
    {
        var phone = user.PhoneNumberConfirmed && user.PhoneNumber is not null && !SecondFactorAmr.PhoneWasFirst(firstAmr) ? user.PhoneNumber : null;
        var passkey = relyingParty.Offered && !SecondFactorAmr.PasskeyWasFirst(firstAmr) && await passkeys.AnyAsync(user.Id, ct);
        return new SecondFactorMethods(await totp.IsEnabledAsync(user.Id, ct), phone, passkey);
    }
}
