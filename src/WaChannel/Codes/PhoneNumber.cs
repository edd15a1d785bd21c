using System.Text.RegularExpressions;

namespace WaIdentity.WaChannel;

/// <summary>E.164 checks and conversions between "+62812..." and the digits-only form the Cloud API uses.</summary>
public static partial class PhoneNumber
{
    [GeneratedRegex(@"^\+[1-9][0-9]{7,14}$")]
    private static partial Regex E164();

    public static bool IsE164(string? value) => value is not null && E164().IsMatch(value);

    public static string Digits(string e164) => e164.TrimStart('+');

    /// <summary>A WhatsApp id or Twilio number back to E.164, or null when it is not one.</summary>
    public static string? FromDigits(string? digits)
    {
        if (digits is null) return null;
        var candidate = digits.StartsWith('+') ? digits : "+" + digits;
        return IsE164(candidate) ? candidate : null;
    }
}
