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
        var result = PhoneNumberNormalizer.Normalize(typed, "ID");
        Assert.Equal(expected, result.E164);
        Assert.Null(result.Problem);
        Assert.Matches("^\\+[0-9]+$", result.E164!);
    }

    [Theory]
    // Indonesia: Telkomsel, XL, 10 to 13 digit mobiles.
    [InlineData("ID", "0812 3456 7890", "+6281234567890")]
    [InlineData("ID", "0857 0000 0001", "+6285700000001")]
    [InlineData("ID", "0811 0000 000", "+628110000000")]
    // India: the trunk 0 and the +91 form give one number.
    [InlineData("IN", "098765 43210", "+919876543210")]
    [InlineData("IN", "+91 98765 43210", "+919876543210")]
    [InlineData("ID", "+91 98765-43210", "+919876543210")]
    // Brazil: mobiles have the 9th digit (11 digits with the area code).
    [InlineData("BR", "(11) 98765-4321", "+5511987654321")]
    [InlineData("ID", "+55 11 98765 4321", "+5511987654321")]
    // The UK: "(0)" after the country code is the trunk prefix, not part of the number.
    [InlineData("ID", "+44 (0) 7400 123456", "+447400123456")]
    [InlineData("GB", "07400 123456", "+447400123456")]
    [InlineData("ID", "0044 7400 123456", "+447400123456")]
    // The US: the plan cannot tell mobiles from fixed lines, so both are accepted.
    [InlineData("US", "(415) 555-2671", "+14155552671")]
    [InlineData("ID", "+1 415 555 2671", "+14155552671")]
    public void Valid_mobile_numbers_of_each_country_get_their_e164_form(string region, string typed, string expected)
    {
        var result = PhoneNumberNormalizer.Normalize(typed, region);
        Assert.Null(result.Problem);
        Assert.Equal(expected, result.E164);
    }

    [Fact]
    public void The_uk_trunk_zero_in_brackets_is_dropped_from_the_canonical_form()
    {
        // Ofcom keeps 07700 900000-900999 for drama: a well-formed number no phone has, so the plan calls it not valid.
        // Its canonical form still has no "0" after +44, so it can never become a second account or limit key.
        var result = PhoneNumberNormalizer.Normalize("+44 (0) 7700 900123", "ID");
        Assert.Null(result.E164);
        Assert.Equal(PhoneProblem.NotValid, result.Problem);
        Assert.Equal("GB", result.Region);
        Assert.Equal(PhoneNumberNormalizer.Normalize("+44 7700 900123", "ID"), result);
        Assert.Equal(PhoneNumberNormalizer.Normalize("+44 (0) 7400 123456", "ID").E164, PhoneNumberNormalizer.Normalize("+447400123456", "ID").E164);
    }

    [Theory]
    // The right number of digits, but no such number in the country's plan.
    [InlineData("ID", "+62 999 1234 5678", nameof(PhoneProblem.NotValid))]
    [InlineData("ID", "0800 0000 0000", nameof(PhoneProblem.NotValid))]
    [InlineData("BR", "(11) 8765-4321", nameof(PhoneProblem.NotValid))]      // a mobile without the 9th digit
    [InlineData("US", "(123) 555-2671", nameof(PhoneProblem.NotValid))]      // no area code starts with 1
    [InlineData("ID", "+44 7700 900123", nameof(PhoneProblem.NotValid))]
    [InlineData("IN", "+91 12345 67890", nameof(PhoneProblem.NotMobile))]    // a fixed line
    [InlineData("US", "+1 800 555 1212", nameof(PhoneProblem.NotMobile))]    // toll free
    [InlineData("ID", "+882 1234 5678", nameof(PhoneProblem.NotValid))]      // international networks
    public void Numbers_of_a_valid_length_that_the_plan_does_not_know_are_refused(string region, string typed, string expectedError)
    {
        var result = PhoneNumberNormalizer.Normalize(typed, region);
        Assert.Null(result.E164);
        Assert.Equal(expectedError, result.Problem.ToString());
    }

    [Theory]
    [InlineData("", nameof(PhoneProblem.Empty))]
    [InlineData("   ", nameof(PhoneProblem.Empty))]
    [InlineData("0812abc7890", nameof(PhoneProblem.Invalid))]
    [InlineData("0812 3456 7890; DROP", nameof(PhoneProblem.Invalid))]
    [InlineData("+0812345678", nameof(PhoneProblem.Invalid))]
    [InlineData("123", nameof(PhoneProblem.TooShort))]
    [InlineData("12345", nameof(PhoneProblem.TooShort))]
    [InlineData("+62 812 3456 7890 1234", nameof(PhoneProblem.TooLong))]
    [InlineData("+1234567890123456", nameof(PhoneProblem.TooLong))]
    [InlineData("0812+34567890", nameof(PhoneProblem.Invalid))]
    public void Typing_mistakes_get_a_clear_error(string typed, string expectedError)
    {
        var result = PhoneNumberNormalizer.Normalize(typed, "ID");
        Assert.Null(result.E164);
        Assert.Equal(expectedError, result.Problem.ToString());
    }

    [Theory]
    [InlineData("+62 812 3456 789⁰")]   // superscript zero
    [InlineData("⁰⁸¹²³⁴⁵⁶⁷⁸⁹⁰")]      // all superscript
    [InlineData("0812 3456 789①")]     // circled one
    [InlineData("0812 3456 78₉₀")]     // subscript
    public void Superscript_subscript_and_circled_digits_are_not_digits(string typed)
    {
        var result = PhoneNumberNormalizer.Normalize(typed, "ID");
        Assert.Null(result.E164);
        Assert.Equal(PhoneProblem.Invalid, result.Problem);
    }
}
