namespace WaIdentity.IdP.Gateway;

/// <summary>
/// A person's number as apps send it: E.164 ("+6281234567890"), the same digits without '+' (WhatsAuth, WAPIZ), or a
/// national number with its trunk 0 ("081234567890"), read in the default country (<c>Login:DefaultCountryCode</c>)
/// as WhatsAuth reads it in Indonesia. Spaces, dashes, dots and brackets are ignored.
/// </summary>
internal static class ApiRecipientNumber
{
    public static string? Read(string? value, string defaultCountryCode)
    {
        if (value is null) return null;
        var compact = string.Concat(value.Where(c => c is not (' ' or '-' or '.' or '(' or ')')));
        if (compact.StartsWith("00", StringComparison.Ordinal)) compact = "+" + compact[2..];
        else if (compact.StartsWith('0')) compact = "+" + defaultCountryCode + compact[1..];
        return WaChannel.PhoneNumber.FromDigits(compact);
    }
}
