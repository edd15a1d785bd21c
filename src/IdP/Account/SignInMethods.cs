using Microsoft.Extensions.Localization;

namespace WaIdentity.IdP.Account;

/// <summary>
/// A session's amr in the words a person uses ("Password + authenticator app") instead of RFC 8176 codes. The codes
/// overlap ("otp" is a WhatsApp code after a phone login and the authenticator after a password), so they are read
/// as a first factor and what was added to it.
/// </summary>
internal static class SignInMethods
{
    public static string Describe(string amr, IStringLocalizer t)
    {
        var codes = amr.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        var phone = codes.Contains("sms") ? "Account_Method_SmsCode"
            : codes.Contains("wa") ? (codes.Contains("otp") || codes.Contains("pwd") ? "Account_Method_WhatsAppCode" : "Account_Method_WhatsAppMessage")
            : null;
        var passkey = codes.Contains("hwk") || codes.Contains("swk") ? "Account_Method_Passkey" : null;
        var steps = new List<string>();
        if (codes.Contains("pwd"))
        {
            steps.Add("Account_Method_Password");
            if (codes.Contains("mfa")) steps.Add(codes.Contains("recovery") ? "Account_Method_RecoveryCode" : passkey ?? phone ?? "Account_Method_Authenticator");
        }
        else if (phone is null && passkey is not null)
        {
            // A passkey alone (verified by the device, so "mfa") is one step, not a passkey plus something else.
            steps.Add(passkey);
        }
        else
        {
            if (phone is not null) steps.Add(phone);
            if (codes.Contains("mfa")) steps.Add(codes.Contains("recovery") ? "Account_Method_RecoveryCode" : passkey ?? "Account_Method_Authenticator");
        }
        if (codes.Contains("device")) steps.Add("Account_Method_Device");
        return steps.Count == 0 ? t["Account_Method_Unknown"] : string.Join(" + ", steps.Select(s => t[s].Value));
    }
}
