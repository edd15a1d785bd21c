using WaIdentity.IdP.Login.Phones;

namespace WaIdentity.Tests.Login;

public sealed class PhoneNumberNormalizerTests
{
    [Theory]
    [InlineData("0812-3456-7890", "+6281234567890")]
    [InlineData("+62 812 3456 7890", "+6281234567890")]
    [InlineData("0062 812 3456 7890", "+6281234567890")]
    [InlineData("6281234567890", "+6281234567890")]
    [InlineData("81234567890", "+6281234567890")]
    [InlineData("+62 0812 3456 7890", "+6281234567890")]
    [InlineData("(0812) 3456.7890", "+6281234567890")]
    [InlineData("０８１２３４５６７８９０", "+6281234567890")]            // full-width digits
    [InlineData("＋６２８１２３４５６７８９０", "+6281234567890")]         // full-width plus
    [InlineData("٠٨١٢٣٤٥٦٧٨٩٠", "+6281234567890")]                      // Arabic-Indic digits
    [InlineData("۰۸۱۲۳۴۵۶۷۸۹۰", "+6281234567890")]                      // Extended Arabic-Indic digits
    [InlineData("\u200F+62\u200E 812\u200B3456\u202A7890\u202C", "+6281234567890")] // RTL/LTR marks, zero-width space
    [InlineData("\u00A00812\u00A03456\u00A07890", "+6281234567890")]   // no-break spaces
    [InlineData("+1 (415) 555-2671", "+14155552671")]
    public void Every_way_of_writing_a_number_gives_one_canonical_ascii_form(string typed, string expected)
    {
        var result = PhoneNumberNormalizer.Normalize(typed, "62");
        Assert.Equal(expected, result.E164);
        Assert.Null(result.ErrorKey);
        Assert.Matches("^\\+[0-9]+$", result.E164!);
    }

    [Theory]
    [InlineData("", PhoneNumberNormalizer.ErrorEmpty)]
    [InlineData("   ", PhoneNumberNormalizer.ErrorEmpty)]
    [InlineData("0812abc7890", PhoneNumberNormalizer.ErrorInvalid)]
    [InlineData("0812 3456 7890; DROP", PhoneNumberNormalizer.ErrorInvalid)]
    [InlineData("+0812345678", PhoneNumberNormalizer.ErrorInvalid)]
    [InlineData("123", PhoneNumberNormalizer.ErrorTooShort)]
    [InlineData("12345", PhoneNumberNormalizer.ErrorTooShort)]
    [InlineData("+1234567890123456", PhoneNumberNormalizer.ErrorTooLong)]
    [InlineData("0812+34567890", PhoneNumberNormalizer.ErrorInvalid)]
    public void Typing_mistakes_get_a_clear_error(string typed, string expectedError)
    {
        var result = PhoneNumberNormalizer.Normalize(typed, "62");
        Assert.Null(result.E164);
        Assert.Equal(expectedError, result.ErrorKey);
    }
}
