using WaIdentity.IdP.Sessions;

namespace WaIdentity.IdP.Login.SecondFactor;

/// <summary>
/// The amr values a second factor adds (RFC 8176 where it has one). "recovery" and "device" are ours: RFC 8176 has
/// no value for a lookup secret or for a remembered browser, and claiming "otp" for them would not say what happened.
/// </summary>
internal static class SecondFactorAmr
{
    public const string RecoveryCode = "recovery";
    public const string RememberedDevice = "device";

    /// <summary>The first factor's values, the second factor's, and "mfa" when a second factor was really checked.</summary>
    public static IReadOnlyList<string> Combine(IEnumerable<string> first, IEnumerable<string> second)
    {
        var added = second.ToList();
        var multi = added.Contains(RememberedDevice) ? [] : new[] { AuthenticationLevels.AmrMultiFactor };
        return first.Concat(added).Concat(multi).Distinct().ToList();
    }

    /// <summary>True when the first factor was a code or message from the phone (so the phone cannot be the second).</summary>
    public static bool PhoneWasFirst(IEnumerable<string> amr) =>
        amr.Any(a => a is AuthenticationLevels.AmrWhatsApp or AuthenticationLevels.AmrSms or AuthenticationLevels.AmrOtp);

    /// <summary>True when the first factor was a passkey (so a passkey cannot be the second).</summary>
    public static bool PasskeyWasFirst(IEnumerable<string> amr) =>
        amr.Any(a => a is AuthenticationLevels.AmrHardwareKey or AuthenticationLevels.AmrSoftwareKey);
}
