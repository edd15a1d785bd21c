using System.Globalization;
using System.Text;

namespace WaIdentity.IdP.Login.Phones;

/// <summary>Any Unicode decimal digit (full-width, Arabic-Indic, ...) as its ASCII digit; other characters are passed to a decision.</summary>
internal static class AsciiDigits
{
    /// <summary>The digits of <paramref name="text"/> in ASCII, or null when a character is neither a digit nor ignorable.</summary>
    public static string? Read(string? text, Func<char, bool> isIgnorable, char? keepLeading = null)
    {
        // Superscript, subscript and circled digits would become digits under compatibility folding (NFKC); no keypad
        // types them, so a text with one is refused rather than read as a number.
        if ((text ?? "").Any(c => CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.OtherNumber or UnicodeCategory.LetterNumber)) return null;
        var sb = new StringBuilder();
        foreach (var c in (text ?? "").Normalize(NormalizationForm.FormKC))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.DecimalDigitNumber)
                sb.Append((char)('0' + CharUnicodeInfo.GetDecimalDigitValue(c)));
            else if (c == keepLeading && sb.Length == 0) sb.Append(c);
            else if (!isIgnorable(c)) return null;
        }
        return sb.ToString();
    }

    /// <summary>Bidi marks, zero-width characters, BOM: invisible, often pasted along with a number.</summary>
    public static bool IsInvisible(char c) => CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format;
}
