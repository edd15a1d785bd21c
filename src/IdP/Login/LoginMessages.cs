using Microsoft.Extensions.Localization;

namespace WaIdentity.IdP.Login;

/// <summary>Turns a login outcome's resource key and numbers into the sentence a person reads.</summary>
public static class LoginMessages
{
    public static string Describe(IStringLocalizer t, string key, TimeSpan? wait = null, int? count = null)
    {
        var n = key switch
        {
            "Login_TooManyCodes" or "Login_TooManyTries" => Math.Max(1, (int)Math.Ceiling((wait ?? TimeSpan.Zero).TotalMinutes)),
            "Password_TooManyTries" => Math.Max(1, (int)Math.Ceiling((wait ?? TimeSpan.Zero).TotalMinutes)),
            "Login_ResendWait" or "Login_FailureWait" => Math.Max(1, (int)Math.Ceiling((wait ?? TimeSpan.Zero).TotalSeconds)),
            _ => count,
        };
        if (n is null) return t[key];
        // A sentence whose noun changes for one ("1 attempt left") has a key of its own; every language has that key.
        if (n == 1 && t[key + "_One"] is { ResourceNotFound: false } one) return one;
        return t[key, n];
    }
}
