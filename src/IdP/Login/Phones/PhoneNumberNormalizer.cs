using PhoneNumbers;

namespace WaIdentity.IdP.Login.Phones;

/// <summary>
/// The outcome of reading a typed phone number: the canonical E.164 form, or the resource key of the problem; the
/// region (ISO 3166, e.g. "ID") it was read as, for examples in the message; and, for a number of a plausible shape
/// that the plan refuses, the canonical form it would have had (test numbers are matched on it).
/// </summary>
internal sealed record PhoneParseResult(string? E164, string? ErrorKey, string Region, string? Refused = null)
{
    public bool Ok => E164 is not null;
}

/// <summary>
/// Turns what a person typed into one canonical form, "+" and ASCII digits (E.164), used for the account and for
/// every rate-limit key. Any Unicode decimal digit (full-width, Arabic-Indic, ...) becomes its ASCII digit first, and
/// separators, bidi marks and zero-width characters are dropped, so one number never gets two keys; superscript and
/// circled digits are refused (they are not what a phone keypad types). libphonenumber then reads the number in the
/// chosen region (a trunk "0", also "+44 (0) 7700 ...", goes) and checks it against that country's numbering plan:
/// only a valid mobile number (or one the plan cannot tell from a fixed line, as in the US) can receive a code.
/// </summary>
internal static class PhoneNumberNormalizer
{
    public const string ErrorEmpty = "Login_PhoneEmpty";
    public const string ErrorInvalid = "Login_PhoneInvalid";
    public const string ErrorTooShort = "Login_PhoneTooShort";
    public const string ErrorTooLong = "Login_PhoneTooLong";
    public const string ErrorNotValid = "Login_PhoneNotValid";
    public const string ErrorNotMobile = "Login_PhoneNotMobile";

    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <param name="region">Where a number without a country code is read: the country picker's choice or the configured default.</param>
    public static PhoneParseResult Normalize(string? input, string region)
    {
        var raw = ReadDigits(input);
        if (raw is null) return new(null, ErrorInvalid, region);
        if (raw.Length == 0 || raw == "+") return new(null, ErrorEmpty, region);
        // "00" is how most of the world dials abroad, whatever the region's own international prefix is.
        if (raw.StartsWith("00")) raw = "+" + raw[2..];
        if (raw.StartsWith("+0")) return new(null, ErrorInvalid, region);
        PhoneNumber number;
        try
        {
            number = Util.Parse(raw, region);
        }
        catch (NumberParseException e)
        {
            return new(null, e.ErrorType switch
            {
                ErrorType.TOO_SHORT_NSN or ErrorType.TOO_SHORT_AFTER_IDD => ErrorTooShort,
                ErrorType.TOO_LONG => ErrorTooLong,
                _ => ErrorInvalid,
            }, region);
        }
        var numberRegion = PhoneRegions.OfCallingCode(number.CountryCode) ?? region;
        // A wrong length is the usual slip (a digit missed or doubled): say so rather than "not a valid number".
        var problem = Util.IsPossibleNumberForTypeWithReason(number, PhoneNumberType.MOBILE) switch
        {
            PhoneNumberUtil.ValidationResult.TOO_SHORT or PhoneNumberUtil.ValidationResult.IS_POSSIBLE_LOCAL_ONLY => ErrorTooShort,
            PhoneNumberUtil.ValidationResult.TOO_LONG => ErrorTooLong,
            PhoneNumberUtil.ValidationResult.INVALID_COUNTRY_CODE => ErrorInvalid,
            _ when !Util.IsValidNumber(number) => ErrorNotValid,
            _ when Util.GetNumberType(number) is not (PhoneNumberType.MOBILE or PhoneNumberType.FIXED_LINE_OR_MOBILE) => ErrorNotMobile,
            _ => null,
        };
        var e164 = Util.Format(number, PhoneNumberFormat.E164);
        return problem is null ? new(e164, null, numberRegion) : new(null, problem, numberRegion, problem == ErrorNotValid ? e164 : null);
    }

    private static string? ReadDigits(string? input) => AsciiDigits.Read(input, IsSeparator, keepLeading: '+');

    private static bool IsSeparator(char c) =>
        c is ' ' or '-' or '.' or '(' or ')' or '/' or '\u00A0' or '\u2007' or '\u202F' or '\t' || AsciiDigits.IsInvisible(c);
}
