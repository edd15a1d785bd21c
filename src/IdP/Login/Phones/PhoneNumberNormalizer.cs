using PhoneNumbers;

namespace WaIdentity.IdP.Login.Phones;

/// <summary>
/// The outcome of reading a typed phone number: the canonical E.164 form, or the problem; the
/// region (ISO 3166, e.g. "ID") it was read as, for examples in the message; and, for a number of a plausible shape
/// that the plan refuses, the canonical form it would have had (test numbers are matched on it).
/// </summary>
internal sealed record PhoneParseResult(string? E164, PhoneProblem? Problem, string Region, string? Refused = null)
{
    public bool Ok => E164 is not null;
}

/// <summary>Why a typed number cannot receive a code; <see cref="PhoneErrorText"/> words it.</summary>
internal enum PhoneProblem
{
    Empty,
    /// <summary>Not a phone number at all (letters, a country code starting with 0).</summary>
    Invalid,
    TooShort, TooLong,
    /// <summary>Of a possible length, but not a number the country's plan has.</summary>
    NotValid,
    /// <summary>A fixed line, toll-free or other number that cannot receive a code.</summary>
    NotMobile,
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
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <param name="region">Where a number without a country code is read: the country picker's choice or the configured default.</param>
    public static PhoneParseResult Normalize(string? input, string region)
    {
        var raw = ReadDigits(input);
        if (raw is null) return new(null, PhoneProblem.Invalid, region);
        if (raw.Length == 0 || raw == "+") return new(null, PhoneProblem.Empty, region);
        // "00" is how most of the world dials abroad, whatever the region's own international prefix is.
        if (raw.StartsWith("00")) raw = "+" + raw[2..];
        if (raw.StartsWith("+0")) return new(null, PhoneProblem.Invalid, region);
        PhoneNumber number;
        try
        {
            number = Util.Parse(raw, region);
        }
        catch (NumberParseException e)
        {
            return new(null, e.ErrorType switch
            {
                ErrorType.TOO_SHORT_NSN or ErrorType.TOO_SHORT_AFTER_IDD => PhoneProblem.TooShort,
                ErrorType.TOO_LONG => PhoneProblem.TooLong,
                _ => PhoneProblem.Invalid,
            }, region);
        }
        var numberRegion = PhoneRegions.OfCallingCode(number.CountryCode) ?? region;
        // A wrong length is the usual slip (a digit missed or doubled): say so rather than "not a valid number".
        var problem = Util.IsPossibleNumberForTypeWithReason(number, PhoneNumberType.MOBILE) switch
        {
            PhoneNumberUtil.ValidationResult.TOO_SHORT or PhoneNumberUtil.ValidationResult.IS_POSSIBLE_LOCAL_ONLY => (PhoneProblem?)PhoneProblem.TooShort,
            PhoneNumberUtil.ValidationResult.TOO_LONG => PhoneProblem.TooLong,
            PhoneNumberUtil.ValidationResult.INVALID_COUNTRY_CODE => PhoneProblem.Invalid,
            _ when !Util.IsValidNumber(number) => PhoneProblem.NotValid,
            _ when Util.GetNumberType(number) is not (PhoneNumberType.MOBILE or PhoneNumberType.FIXED_LINE_OR_MOBILE) => PhoneProblem.NotMobile,
            _ => null,
        };
        var e164 = Util.Format(number, PhoneNumberFormat.E164);
        return problem is null ? new(e164, null, numberRegion) : new(null, problem, numberRegion, problem == PhoneProblem.NotValid ? e164 : null);
    }

    private static string? ReadDigits(string? input) => AsciiDigits.Read(input, IsSeparator, keepLeading: '+');

    private static bool IsSeparator(char c) =>
        c is ' ' or '-' or '.' or '(' or ')' or '/' or '\u00A0' or '\u2007' or '\u202F' or '\t' || AsciiDigits.IsInvisible(c);
}
