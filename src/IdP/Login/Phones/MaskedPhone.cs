namespace WaIdentity.IdP.Login.Phones;

/// <summary>
/// A phone number as shown to someone who may not own it: country code and last three digits, enough for its owner to
/// recognise it and too little for a stranger to learn it.
/// </summary>
internal static class MaskedPhone
{
    public static string Of(string e164) => e164.Length > 7 ? $"{e164[..4]} •••• {e164[^3..]}" : "••••";
}
