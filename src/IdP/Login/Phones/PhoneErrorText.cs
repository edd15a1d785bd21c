using Microsoft.Extensions.Localization;

namespace WaIdentity.IdP.Login.Phones;

/// <summary>What a person reads when a typed number is refused: the problem, with an example from the number's country.</summary>
internal static class PhoneErrorText
{
    public static string Describe(IStringLocalizer t, PhoneParseResult result) => t[result.Problem switch
    {
        PhoneProblem.Empty => "Login_PhoneEmpty",
        PhoneProblem.TooShort => "Login_PhoneTooShort",
        PhoneProblem.TooLong => "Login_PhoneTooLong",
        PhoneProblem.NotValid => "Login_PhoneNotValid",
        PhoneProblem.NotMobile => "Login_PhoneNotMobile",
        _ => "Login_PhoneInvalid",
    }, PhoneRegions.ExampleNational(result.Region)];
}
