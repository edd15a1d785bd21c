using Microsoft.Extensions.Localization;

namespace WaIdentity.IdP.Login.Phones;

/// <summary>What a person reads when a typed number is refused: the problem, with an example from the number's country.</summary>
internal static class PhoneErrorText
{
    public static string Describe(IStringLocalizer t, PhoneParseResult result) =>
        t[result.ErrorKey!, PhoneRegions.ExampleNational(result.Region)];
}
