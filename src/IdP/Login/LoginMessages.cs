using Microsoft.Extensions.Localization;

namespace WaIdentity.IdP.Login;

/// <summary>Turns a login outcome's resource key and numbers into the sentence a person reads.</summary>
public static class LoginMessages
{
    public static string Describe(IStringLocalizer t, string key, TimeSpan? wait = null, int? count = null) => key switch
    {
        "Login_TooManyCodes" or "Login_TooManyTries" => t[key, Math.Max(1, (int)Math.Ceiling((wait ?? TimeSpan.Zero).TotalMinutes))],
        "Login_ResendWait" or "Login_FailureWait" => t[key, Math.Max(1, (int)Math.Ceiling((wait ?? TimeSpan.Zero).TotalSeconds))],
        _ when count is not null => t[key, count],
        _ => t[key],
    };
}
