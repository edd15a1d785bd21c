namespace WaIdentity.IdP.Login.Phones;

/// <summary>The outcome of reading a typed phone number: the canonical E.164 form, or the resource key of the problem.</summary>
public sealed record PhoneParseResult(string? E164, string? ErrorKey)
{
    public bool Ok => E164 is not null;
}

/// <summary>
/// Turns what a person typed into one canonical form, "+" and ASCII digits (E.164), used for the account and for
/// every rate-limit key. Any Unicode decimal digit (full-width, Arabic-Indic, ...) becomes its ASCII digit, and
/// separators, bidi marks and zero-width characters are dropped on purpose, so one number never gets two keys.
/// No libphonenumber is served here: this checks the E.164 shape (8 to 15 digits), not each country's plan.
/// </summary>
public static class PhoneNumberNormalizer
{
    public const string ErrorEmpty = "Login_PhoneEmpty";
    public const string ErrorInvalid = "Login_PhoneInvalid";
    public const string ErrorTooShort = "Login_PhoneTooShort";
    public const string ErrorTooLong = "Login_PhoneTooLong";

    public static PhoneParseResult Normalize(string? input, string defaultCountryCode)
    {
        var raw = ReadDigits(input);
        if (raw is null) return new(null, ErrorInvalid);
        if (raw.Length == 0 || raw == "+") return new(null, ErrorEmpty);
        var international = ToInternational(raw, defaultCountryCode);
        // A wrong length is the usual slip (a digit missed or doubled): say so rather than "not a valid number".
        return international[0] == '0' ? new(null, ErrorInvalid)
            : international.Length < 8 ? new(null, ErrorTooShort)
            : international.Length > 15 ? new(null, ErrorTooLong)
            : new("+" + international, null);
    }

    private static string? ReadDigits(string? input) => AsciiDigits.Read(input, IsSeparator, keepLeading: '+');

    private static bool IsSeparator(char c) =>
        c is ' ' or '-' or '.' or '(' or ')' or '/' or '\u00A0' or '\u2007' or '\u202F' or '\t' || AsciiDigits.IsInvisible(c);

    /// <summary>Country code plus national number, without the '+'.</summary>
    private static string ToInternational(string raw, string cc)
    {
        string digits;
        if (raw.StartsWith('+')) digits = raw[1..];
        else if (raw.StartsWith("00")) digits = raw[2..];
        else if (raw.StartsWith('0')) return cc + raw[1..];
        else if (raw.StartsWith(cc) && raw.Length - cc.Length >= 8) digits = raw;
        else return cc + raw;
        // "+62 0812..." is a common way to write an Indonesian number: the trunk 0 after the country code goes.
        return digits.StartsWith(cc + "0") ? cc + digits[(cc.Length + 1)..] : digits;
    }
}
